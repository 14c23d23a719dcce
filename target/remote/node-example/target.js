#!/usr/bin/env node
// A small TCP chimney offload target in Node.js that speaks the conformance suite's gRPC
// protocol (target/remote/proto/chimney/v1/target.proto). It exists to show that a target in
// another language plugs into the suite, not to be a useful offload engine:
//
//   - MiniportInitiateOffload offloads every new state object in the tree, writes a fresh
//     context into its slot and NDIS_STATUS_SUCCESS into every block. It keeps each object's
//     delegated state and the outstanding send data (NET_BUFFER_LISTs) handed over with it.
//   - MiniportTerminateOffload hands the kept delegated state and send data back and forgets
//     the objects.
//   - MiniportQueryOffload, MiniportUpdateOffload and MiniportInvalidateOffload are not
//     implemented: they complete every block with NDIS_STATUS_FAILURE.
//
// Every Call returns at once; the completion follows later (setImmediate) on the session's
// Events stream, carrying the whole tree. Before answering a Call, the target puts a
// call_returned event for it on the Events stream (protocol revision 1): the suite judges a
// completion sent before that marker as made during the handler call. Members the target has no business writing are sent
// back exactly as received: the tree object received is the tree object sent back.
//
// Environment: CHIMNEY_TARGET_SOCKET is the unix socket path to listen on (required);
// CHIMNEY_PROTO overrides the path of target.proto. The process exits when its stdin closes
// or on SIGTERM.
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO = process.env.CHIMNEY_PROTO ||
  path.resolve(__dirname, '..', 'proto', 'chimney', 'v1', 'target.proto');

// keepCase: the JavaScript objects use the proto's own field names (snake_case).
// longs: String, because 64-bit ids, contexts and handles do not fit a JavaScript number.
// enums: String, so operations read as their names.
// defaults: false, so a field the suite did not send is not invented on the way back.
const definition = protoLoader.loadSync(PROTO, {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});
const proto = grpc.loadPackageDefinition(definition).ndischimney.v1;

// NDIS statuses written by this target (ndis.h, ndischimney.h).
const NDIS_STATUS_SUCCESS = 0x00000000;
const NDIS_STATUS_FAILURE = 0xC0000001;
const NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS = 0x40020004;
const NDIS_STATUS_OFFLOAD_TCP_ENTRIES = 0xC0231004;
const NDIS_STATUS_OFFLOAD_PATH_ENTRIES = 0xC0231005;
const NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES = 0xC0231006;

// What the target declares when opened: IPv4 only, and modest limits that it enforces.
const LIMITS = { neighbor: 8, path: 16, tcp: 64 };

// OFFLOAD_STATE_TYPE values (ndischimney.h): the layer of a block, and whether the type
// says a delegated state structure follows the block.
function layerOf(type) {
  if (type >= 1 && type <= 4) return 'neighbor';
  if (type >= 5 && type <= 12) return 'path';
  if (type >= 13 && type <= 17) return 'tcp';
  return '';
}
function carriesDelegated(type) {
  // NeighborOffloadDelegatedState, Ip4/Ip6OffloadDelegatedState, TcpOffloadDelegatedState
  // and the three full *OffloadState types.
  return [3, 4, 7, 8, 11, 12, 15, 17].includes(type);
}

// The delegated state structure of each layer, by its field name in a Block.
const DELEGATED_FIELD = { neighbor: 'neighbor_delegated', path: 'path_delegated', tcp: 'tcp_delegated' };

// ---------------------------------------------------------------------------------------
// Sessions. Each Open creates one: its offloaded objects, its Events stream and the events
// produced before the suite opened that stream.

// The revision of ndischimney.v1 this target implements (1 = v1.1: call_returned markers).
const PROTOCOL_REVISION = 1;

class Session {
  constructor(id, revision) {
    this.id = id;
    this.revision = revision; // the suite's protocol revision, from OpenRequest
    this.stream = null; // the Events server stream, once the suite opens it
    this.backlog = []; // events to send when the stream opens
    this.objects = new Map(); // context (decimal string) -> offloaded object
    this.nextContext = 0x1000n;
  }

  // newContext returns a context never handed out before in this session: the PVOID the
  // target writes into a new offload's context slot.
  newContext() {
    this.nextContext += 0x10n;
    return this.nextContext.toString();
  }

  count(layer) {
    let n = 0;
    for (const o of this.objects.values()) if (o.layer === layer) n++;
    return n;
  }

  emit(event) {
    if (this.stream) this.stream.write(event);
    else this.backlog.push(event);
  }

  complete(operation, tree) {
    this.emit({ state_completion: { operation, tree } });
  }

  // returned tells the suite, on the Events stream, that the handler of call callId has
  // returned: it must come before the Call's answer and before the call's completion.
  returned(callId) {
    if (this.revision >= 1) this.emit({ call_returned: { call_id: callId } });
  }
}

const sessions = new Map(); // session id (decimal string) -> Session
let nextSession = 0n;

// ---------------------------------------------------------------------------------------
// Trees. The protocol flattens a tree into blocks that name each other by block_id; 0 (or
// an absent field) is NULL.

function indexBlocks(tree) {
  const byId = new Map();
  for (const b of tree.blocks || []) byId.set(String(b.block_id), b);
  return byId;
}

function isNull(id) {
  return id === undefined || id === null || String(id) === '0';
}

// siblings returns the block named by id and the blocks linked from it through
// next_block_id, stopping at a cycle.
function siblings(byId, id) {
  const out = [];
  const seen = new Set();
  while (!isNull(id) && byId.has(String(id)) && !seen.has(String(id))) {
    seen.add(String(id));
    const b = byId.get(String(id));
    out.push(b);
    id = b.next_block_id;
  }
  return out;
}

// chainOf returns the NET_BUFFER_LISTs linked from the list named by id through next_id,
// taken from the tree's lists, in order, stopping at a cycle or an unknown id.
function chainOf(tree, id) {
  const byId = new Map((tree.lists || []).map((l) => [String(l.id), l]));
  const out = [];
  const seen = new Set();
  while (!isNull(id) && byId.has(String(id)) && !seen.has(String(id))) {
    seen.add(String(id));
    const l = byId.get(String(id));
    out.push(l);
    id = l.next_id;
  }
  return out;
}

// hasContextSlot reports whether MiniportOffloadContext points to a slot; contextOf returns
// the PVOID in it ('0' for a new offload).
function hasContextSlot(b) {
  return b.context !== undefined && b.context !== null;
}
function contextOf(b) {
  return String(b.context);
}

// ---------------------------------------------------------------------------------------
// MiniportInitiateOffload, in depth-first/breadth-next order
// (concepts/traversing-a-state-tree.md).

function initiate(session, tree) {
  const byId = indexBlocks(tree);
  const root = (tree.blocks || [])[0];
  if (root) offloadLevel(session, tree, byId, root.block_id, '0');
}

// offloadLevel handles the blocks of one level; parent is the context of the object they
// depend on ('0' at the root or under a placeholder). It returns [succeeded, failed].
function offloadLevel(session, tree, byId, firstId, parent) {
  let ok = 0;
  let failed = 0;
  for (const b of siblings(byId, firstId)) {
    if (offloadBlock(session, tree, byId, b, parent)) ok++;
    else failed++;
  }
  return [ok, failed];
}

// offloadBlock handles one block and its dependents, writes the block's status and reports
// whether the block itself succeeded.
function offloadBlock(session, tree, byId, b, parent) {
  const layer = layerOf(b.header ? b.header.type : 0);
  if (!hasContextSlot(b)) {
    // A placeholder: no state of its own; its dependents hang from the object below it.
    offloadLevel(session, tree, byId, b.dependent_block_id, parent);
    b.status = NDIS_STATUS_SUCCESS;
    return true;
  }
  const ctx = contextOf(b);
  if (ctx !== '0') {
    // A linker: names an object offloaded before; its dependents hang from that object.
    const o = session.objects.get(ctx);
    if (!o || o.layer !== layer) {
      failSubtree(byId, b);
      return false;
    }
    const [ok, failed] = offloadLevel(session, tree, byId, b.dependent_block_id, ctx);
    b.status = failed === 0 ? NDIS_STATUS_SUCCESS : ok === 0 ? NDIS_STATUS_FAILURE : NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS;
    return b.status !== NDIS_STATUS_FAILURE;
  }
  // A new offload.
  const status = admit(session, layer, parent, b);
  if (status !== NDIS_STATUS_SUCCESS) {
    b.status = status;
    failDependents(byId, b);
    return false;
  }
  const fresh = session.newContext();
  session.objects.set(fresh, {
    layer,
    // The delegated state as the host handed it over (a copy: the tree goes back).
    delegated: clone(b[DELEGATED_FIELD[layer]]),
    // The outstanding send data, in its original order; the target owns it now.
    sendData: layer === 'tcp' ? clone(chainOf(tree, b.net_buffer_list_chain_id)) : [],
  });
  // The context is written only on success, and before the dependents, which link to it.
  b.context = fresh;
  const [, failed] = offloadLevel(session, tree, byId, b.dependent_block_id, fresh);
  b.status = failed === 0 ? NDIS_STATUS_SUCCESS : NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS;
  return true;
}

// admit returns NDIS_STATUS_SUCCESS when a new object of the layer can be offloaded under
// parent, or the status that says why not.
function admit(session, layer, parent, b) {
  const parentLayer = { path: 'neighbor', tcp: 'path' }[layer];
  if (!layer || !b[DELEGATED_FIELD[layer]]) return NDIS_STATUS_FAILURE; // no state to offload
  if (parentLayer) {
    const p = session.objects.get(parent);
    if (!p || p.layer !== parentLayer) return NDIS_STATUS_FAILURE; // nothing below it to hang from
  }
  if (layer === 'path' && b.header.type >= 9) return NDIS_STATUS_FAILURE; // IPv6: not declared
  if (session.count(layer) >= LIMITS[layer]) {
    return {
      neighbor: NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES,
      path: NDIS_STATUS_OFFLOAD_PATH_ENTRIES,
      tcp: NDIS_STATUS_OFFLOAD_TCP_ENTRIES,
    }[layer];
  }
  return NDIS_STATUS_SUCCESS;
}

function failSubtree(byId, b) {
  b.status = NDIS_STATUS_FAILURE;
  failDependents(byId, b);
}

function failDependents(byId, b) {
  for (const d of siblings(byId, b.dependent_block_id)) failSubtree(byId, d);
}

// ---------------------------------------------------------------------------------------
// MiniportTerminateOffload: upload every object the tree names
// (ddi/nf-ndischimney-ndismterminateoffloadcomplete.md).

function terminate(session, tree) {
  const forget = [];
  for (const b of tree.blocks || []) {
    if (!hasContextSlot(b)) {
      b.status = NDIS_STATUS_SUCCESS; // a placeholder names no object
      continue;
    }
    const ctx = contextOf(b);
    const o = session.objects.get(ctx);
    const layer = layerOf(b.header ? b.header.type : 0);
    if (!o || o.layer !== layer) {
      b.status = NDIS_STATUS_FAILURE; // names no object of this layer
      continue;
    }
    b.status = NDIS_STATUS_SUCCESS;
    if (carriesDelegated(b.header.type) && b[DELEGATED_FIELD[layer]]) {
      const d = clone(o.delegated) || {};
      if (layer === 'tcp') {
        // SendDataHead/SendDataTail name the first and last list of the send data handed
        // back (NULL when none). This target buffers no receive data.
        const ids = o.sendData.map((l) => l.id);
        d.send_data_head_id = ids.length ? ids[0] : '0';
        d.send_data_tail_id = ids.length ? ids[ids.length - 1] : '0';
        d.buffered_data_id = '0';
      }
      b[DELEGATED_FIELD[layer]] = d;
    }
    if (layer === 'tcp') handBack(tree, b, o.sendData);
    // Objects are forgotten after the whole tree is handled, so that a connection and its
    // path terminated together are both found.
    forget.push(ctx);
  }
  for (const ctx of forget) session.objects.delete(ctx);
}

// handBack puts the outstanding send data of a terminated connection into the block's
// NetBufferListChain, linked in its original order, and into the tree's lists.
function handBack(tree, b, lists) {
  lists.forEach((l, i) => {
    l.next_id = i + 1 < lists.length ? lists[i + 1].id : '0';
  });
  b.net_buffer_list_chain_id = lists.length ? lists[0].id : '0';
  const handed = new Set(lists.map((l) => String(l.id)));
  tree.lists = (tree.lists || []).filter((l) => !handed.has(String(l.id))).concat(lists);
}

// ---------------------------------------------------------------------------------------
// Query, update and invalidate are not implemented: every block fails.

function notImplemented(session, tree) {
  for (const b of tree.blocks || []) b.status = NDIS_STATUS_FAILURE;
}

const HANDLERS = {
  OPERATION_INITIATE: initiate,
  OPERATION_QUERY: notImplemented,
  OPERATION_UPDATE: notImplemented,
  OPERATION_INVALIDATE: notImplemented,
  OPERATION_TERMINATE: terminate,
};

// clone returns a deep copy (Buffers of NET_BUFFER data included).
function clone(v) {
  return v === undefined ? undefined : structuredClone(v);
}

// ---------------------------------------------------------------------------------------
// The gRPC service.

function sessionOf(req, callback) {
  const s = sessions.get(String(req.session_id));
  if (!s) callback({ code: grpc.status.NOT_FOUND, details: `no session ${req.session_id}` });
  return s;
}

const service = {
  Open(call, callback) {
    nextSession += 1n;
    const s = new Session(nextSession.toString(), Number(call.request.protocol_revision || 0));
    sessions.set(s.id, s);
    const limit = (v) => ({ value: v, declared: true });
    callback(null, {
      session_id: s.id,
      protocol_revision: PROTOCOL_REVISION,
      info: {
        name: 'node-example',
        vendor: 'ndis-chimney conformance project',
        version: '0.1.0',
        tcp_connection_offload: {
          encapsulation: 0x2, // NDIS_ENCAPSULATION_IEEE_802_3
          support_ipv4: true,
          support_ipv6: false,
          tcp_connection_offload_capacity: LIMITS.tcp,
        },
        // Every other limit is left undeclared: the specs that need one skip.
        limits: {
          tcp_entries: limit(LIMITS.tcp),
          path_entries: limit(LIMITS.path),
          neighbor_entries: limit(LIMITS.neighbor),
        },
      },
    });
  },

  Events(call) {
    const s = sessions.get(String(call.request.session_id));
    if (!s) {
      call.destroy({ code: grpc.status.NOT_FOUND, details: `no session ${call.request.session_id}` });
      return;
    }
    s.stream = call;
    for (const e of s.backlog.splice(0)) call.write(e);
    call.on('cancelled', () => {
      if (s.stream === call) s.stream = null;
    });
  },

  Call(call, callback) {
    const req = call.request;
    const s = sessionOf(req, callback);
    if (!s) return;
    const handler = HANDLERS[req.operation];
    if (!handler) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: `unknown operation ${req.operation}` });
      return;
    }
    const tree = req.tree || { blocks: [] };
    // The handler returns at once; the work and the completion come later, exactly once.
    s.returned(req.call_id);
    callback(null, { error: '' });
    setImmediate(() => {
      handler(s, tree);
      s.complete(req.operation, tree);
    });
  },

  Close(call, callback) {
    const s = sessionOf(call.request, callback);
    if (!s) return;
    // Completions already queued with setImmediate run before this one.
    setImmediate(() => {
      sessions.delete(s.id);
      if (s.stream) s.stream.end();
      callback(null, { error: '' });
    });
  },
};

function main() {
  const socket = process.env.CHIMNEY_TARGET_SOCKET;
  if (!socket) {
    console.error('target.js: CHIMNEY_TARGET_SOCKET names no socket path');
    process.exit(2);
  }
  const server = new grpc.Server();
  server.addService(proto.OffloadTarget.service, service);
  fs.rmSync(socket, { force: true });
  // The socket is created with mode 0600: only this user may drive the target.
  const oldMask = process.umask(0o177);
  server.bindAsync(`unix:${socket}`, grpc.ServerCredentials.createInsecure(), (err) => {
    process.umask(oldMask);
    if (err) {
      console.error(`target.js: listen on ${socket}: ${err.message}`);
      process.exit(1);
    }
    fs.chmodSync(socket, 0o600);
  });

  const stop = () => {
    server.forceShutdown();
    fs.rmSync(socket, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

main();
