package suites

import (
	"fmt"
	"net/netip"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Specs of the tree's shape: every layer's NextBlock list is walked to its end, whatever its
// length, and the Type of a block says which state structures follow it.

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when a layer's NextBlock list is as long as the declared limits allow", func() {
		DescribeTable("offloads every block of the list with NDIS_STATUS_SUCCESS and a non-NULL *MiniportOffloadContext",
			Rule(rules.LayerWidthIsUnbounded), Capability("neighborEntries"), Capability("pathEntries"), Capability("tcpEntries"),
			func(ctx SpecContext, shape treeWideShape) {
				n := treeWidest(s, shape.Build, 32)
				tree := shape.Build(n)
				By(fmt.Sprintf("offloading the shape with %d blocks on its widest layer", n))
				out := s.Initiate(ctx, tree)
				for _, b := range out.After.Blocks {
					Expect(b.Members.Status).To(Equal(ndis.StatusSuccess),
						harness.Because(rules.LayerWidthIsUnbounded, harness.Initiate, b.Path))
					Expect(b.Slot).NotTo(BeZero(), harness.Because(rules.LayerWidthIsUnbounded, harness.Initiate, b.Path))
				}
			},
			Entry(func(shape treeWideShape) string { return shape.Name }, treeWideShape{Name: "many connections on one path", Build: fixtures.ConnectionsOnOnePath}),
			Entry(func(shape treeWideShape) string { return shape.Name }, treeWideShape{Name: "many paths on one neighbor", Build: fixtures.PathsOnOneNeighbor}),
			Entry(func(shape treeWideShape) string { return shape.Name }, treeWideShape{Name: "several neighbors", Build: fixtures.SeveralNeighbors}),
			Entry(func(shape treeWideShape) string { return shape.Name }, Capability("ipv6"), treeWideShape{Name: "many IPv6 paths on one neighbor",
				Build: func(n int) *ndis.MiniportOffloadBlockList {
					paths := make([]*ndis.MiniportOffloadBlockList, n)
					for i := range paths {
						paths[i] = fixtures.Under(fixtures.NewPath6(i), fixtures.NewConnection(i))
					}
					return fixtures.Under(fixtures.NewNeighbor(0), paths...)
				}}),
			Entry(func(shape treeWideShape) string { return shape.Name }, treeWideShape{Name: "long chains of paths and connections",
				Build: func(n int) *ndis.MiniportOffloadBlockList { return fixtures.LongChains(n, n) }}),
		)
	})

	Context("when placeholders sit at a layer of an initiate tree", func() {
		DescribeTable("offloads the new blocks reached through the placeholder's DependentBlockList or NextBlock",
			Rule(rules.TargetFollowsPlaceholderLinks),
			func(ctx SpecContext, c treeLinkCase) {
				treeRequire(s, treeLoad{neighbors: 2, paths: 2, tcps: 3})
				first := s.MustInitiate(ctx, fixtures.OneConnection())
				tree, want := c.Build(treeContexts(first.Tree))
				out := s.Initiate(ctx, tree)
				for _, b := range want {
					path := out.Path(b)
					Expect(b.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.TargetFollowsPlaceholderLinks, harness.Initiate, path))
					Expect(b.Context()).NotTo(BeZero(), harness.Because(rules.TargetFollowsPlaceholderLinks, harness.Initiate, path))
				}
			},
			Entry(func(c treeLinkCase) string { return c.Name }, treeLinkCase{
				Name: "a neighbor placeholder leading to a linker of the offloaded path",
				Build: func(o treeOffloaded) (*ndis.MiniportOffloadBlockList, []*ndis.MiniportOffloadBlockList) {
					conn := fixtures.NewConnection(1)
					return fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.Under(fixtures.Linker(ndis.LayerPath, o.Path), conn)),
						[]*ndis.MiniportOffloadBlockList{conn}
				},
			}),
			Entry(func(c treeLinkCase) string { return c.Name }, treeLinkCase{
				Name: "a lone neighbor placeholder followed by a new neighbor",
				Build: func(treeOffloaded) (*ndis.MiniportOffloadBlockList, []*ndis.MiniportOffloadBlockList) {
					n, p, t := fixtures.NewNeighbor(1), fixtures.NewPath4(1), fixtures.NewConnection(1)
					return fixtures.Chain(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.Under(n, fixtures.Under(p, t))),
						[]*ndis.MiniportOffloadBlockList{n, p, t}
				},
			}),
			Entry(func(c treeLinkCase) string { return c.Name }, treeLinkCase{
				Name: "a lone path placeholder followed by a new path under a neighbor linker",
				Build: func(o treeOffloaded) (*ndis.MiniportOffloadBlockList, []*ndis.MiniportOffloadBlockList) {
					p, t := fixtures.NewPath4(1), fixtures.NewConnection(1)
					return fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, o.Neighbor), fixtures.Placeholder(ndis.LayerPath), fixtures.Under(p, t)),
						[]*ndis.MiniportOffloadBlockList{p, t}
				},
			}),
			Entry(func(c treeLinkCase) string { return c.Name }, treeLinkCase{
				Name: "a lone connection placeholder followed by a new connection under a path linker",
				Build: func(o treeOffloaded) (*ndis.MiniportOffloadBlockList, []*ndis.MiniportOffloadBlockList) {
					t := fixtures.NewConnection(1)
					return fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor),
							fixtures.Under(fixtures.Linker(ndis.LayerPath, o.Path), fixtures.Placeholder(ndis.LayerTCP), t)),
						[]*ndis.MiniportOffloadBlockList{t}
				},
			}),
		)
	})
})

var _ = Describe("MiniportQueryOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when each block's Header.Type names a single state structure of its layer", func() {
		DescribeTable("fills the structure Type names and writes NDIS_STATUS_SUCCESS",
			Rule(rules.HeaderTypeNamesFollowingState),
			func(ctx SpecContext, classes fixtures.StateClasses, fields func(b, orig *ndis.MiniportOffloadBlockList) []treeField) {
				first := s.MustInitiate(ctx, fixtures.OneConnection())
				tree := fixtures.ReferenceTree(first.Tree, classes)
				out := s.Query(ctx, tree)
				judgeFailure(rules.HeaderTypeNamesFollowingState, out)
				origs := treeByContext(first.Tree)
				for _, b := range out.After.Blocks {
					Expect(b.Members.Status).To(Equal(ndis.StatusSuccess),
						harness.Because(rules.HeaderTypeNamesFollowingState, harness.Query, b.Path))
					for _, f := range fields(b.Block, origs[b.Slot]) {
						Expect(f.Got).To(Equal(f.Want), harness.Because(rules.HeaderTypeNamesFollowingState, harness.Query, b.Path+" "+f.Name))
					}
				}
			},
			Entry("CONST types", fixtures.StateClasses{Const: true}, func(b, orig *ndis.MiniportOffloadBlockList) []treeField {
				switch b.Layer() {
				case ndis.LayerPath:
					return []treeField{{Name: "PathConst.DestinationAddress", Got: b.PathConst.DestinationAddress, Want: orig.PathConst.DestinationAddress}}
				case ndis.LayerTCP:
					return []treeField{{Name: "TCPConst.LocalPort", Got: b.TCPConst.LocalPort, Want: orig.TCPConst.LocalPort}}
				}
				return nil
			}),
			Entry("CACHED types", fixtures.StateClasses{Cached: true}, func(b, orig *ndis.MiniportOffloadBlockList) []treeField {
				switch b.Layer() {
				case ndis.LayerNeighbor:
					return []treeField{{Name: "NeighborCached.DlDestinationAddress", Got: b.NeighborCached.DlDestinationAddress, Want: orig.NeighborCached.DlDestinationAddress}}
				case ndis.LayerPath:
					return []treeField{{Name: "PathCached.PathMTU", Got: b.PathCached.PathMTU, Want: orig.PathCached.PathMTU}}
				case ndis.LayerTCP:
					return []treeField{{Name: "TCPCached.InitialRcvWnd", Got: b.TCPCached.InitialRcvWnd, Want: orig.TCPCached.InitialRcvWnd}}
				}
				return nil
			}),
			Entry("DELEGATED types", fixtures.StateClasses{Delegated: true}, func(b, orig *ndis.MiniportOffloadBlockList) []treeField {
				if b.Layer() == ndis.LayerTCP {
					return []treeField{{Name: "TCPDelegated.State", Got: b.TCPDelegated.State, Want: orig.TCPDelegated.State}}
				}
				return nil
			}),
		)
	})
})

// treeField is one state variable a spec compares with the value it was offloaded with.
type treeField struct {
	Name      string
	Got, Want any
}

// treeWideShape is a tree shape whose widest layer has n blocks.
type treeWideShape struct {
	Name  string
	Build func(n int) *ndis.MiniportOffloadBlockList
}

// treeLinkCase builds, from the objects of an offloaded one-connection tree, an initiate tree
// and the new blocks in it that the target must offload.
type treeLinkCase struct {
	Name  string
	Build func(treeOffloaded) (*ndis.MiniportOffloadBlockList, []*ndis.MiniportOffloadBlockList)
}

// treeOffloaded are the contexts of an offloaded one-connection tree.
type treeOffloaded struct{ Neighbor, Path, TCP ndis.Context }

// treeContexts returns the contexts the target wrote into an offloaded one-connection tree.
func treeContexts(tree *ndis.MiniportOffloadBlockList) treeOffloaded {
	p := tree.DependentBlockList
	return treeOffloaded{Neighbor: tree.Context(), Path: p.Context(), TCP: p.DependentBlockList.Context()}
}

// treeByContext maps each context written into tree to its block.
func treeByContext(tree *ndis.MiniportOffloadBlockList) map[ndis.Context]*ndis.MiniportOffloadBlockList {
	out := map[ndis.Context]*ndis.MiniportOffloadBlockList{}
	for _, b := range ndis.Blocks(tree) {
		if c := b.Context(); c != 0 {
			out[c] = b
		}
	}
	return out
}

// treeLoad counts the objects a tree asks a target to offload.
type treeLoad struct {
	neighbors, paths, tcps int
	sources                map[netip.Addr]bool
	ipv6                   bool
}

func (l treeLoad) total() int { return l.neighbors + l.paths + l.tcps }

// treeLoadOf counts the new-offload blocks of each layer of tree.
func treeLoadOf(tree *ndis.MiniportOffloadBlockList) treeLoad {
	l := treeLoad{sources: map[netip.Addr]bool{}}
	for _, b := range ndis.Blocks(tree) {
		if b.Role() != ndis.RoleNewOffload {
			continue
		}
		switch b.Layer() {
		case ndis.LayerNeighbor:
			l.neighbors++
		case ndis.LayerPath:
			l.paths++
			l.sources[b.PathConst.SourceAddress] = true
			l.ipv6 = l.ipv6 || b.Header.Type.IsIPv6()
		case ndis.LayerTCP:
			l.tcps++
		}
	}
	return l
}

// treeTCPRoom returns how many connections the declared limits let a target offload at once,
// skipping the spec when the TCP entries limit is undeclared.
func treeTCPRoom(s *harness.Session) int {
	GinkgoHelper()
	lim := s.Limits
	if !lim.TCPEntries.Declared {
		Skip("target does not declare the TCP entries limit")
	}
	room := int(lim.TCPEntries.Value)
	for _, l := range []target.Limit{lim.TransmitBuffers, lim.ReceiveBuffers} {
		if l.Declared && int(l.Value) < room {
			room = int(l.Value)
		}
	}
	return room
}

// treeWhyNot returns why the declared limits do not admit offloading load at once, or "" if
// they do. With declared set, the entry limits of all three layers must be declared; otherwise
// an undeclared limit binds nothing.
func treeWhyNot(s *harness.Session, load treeLoad, declared bool) string {
	lim := s.Limits
	for _, c := range []struct {
		name  string
		limit target.Limit
		need  int
	}{
		{"the neighbor entries limit", lim.NeighborEntries, load.neighbors},
		{"the path entries limit", lim.PathEntries, load.paths},
		{"the TCP entries limit", lim.TCPEntries, load.tcps},
	} {
		if !c.limit.Declared && declared {
			return "target does not declare " + c.name
		}
		if c.limit.Declared && c.need > int(c.limit.Value) {
			return fmt.Sprintf("%s (%d) is below the %d objects the spec needs", c.name, c.limit.Value, c.need)
		}
	}
	for _, c := range []struct {
		name  string
		limit target.Limit
		need  int
	}{
		{"the transmit buffers limit", lim.TransmitBuffers, load.tcps},
		{"the receive buffers limit", lim.ReceiveBuffers, load.tcps},
		{"the host memory objects limit", lim.HostMemoryObjects, load.total()},
		{"the source IP address entries limit", lim.SourceIPAddressEntries, len(load.sources)},
	} {
		if c.limit.Declared && c.need > int(c.limit.Value) {
			return fmt.Sprintf("%s (%d) is below the %d the spec needs", c.name, c.limit.Value, c.need)
		}
	}
	if load.ipv6 && !s.Info.Capabilities.TCPConnectionOffload.SupportIPv6 {
		return "target does not declare IPv6 offload"
	}
	if load.paths > 0 && !s.Info.Capabilities.TCPConnectionOffload.SupportIPv4 {
		return "target does not declare IPv4 offload"
	}
	return ""
}

// treeRequire skips the spec unless the declared limits admit load at once (or are
// undeclared) and the target declares the IP versions it needs.
func treeRequire(s *harness.Session, load treeLoad) {
	GinkgoHelper()
	if why := treeWhyNot(s, load, false); why != "" {
		Skip(why)
	}
}

// treeWidest returns the largest n up to max for which the declared limits admit build(n) at
// once, skipping the spec when the entry limits are undeclared or not even n = 2 fits.
func treeWidest(s *harness.Session, build func(n int) *ndis.MiniportOffloadBlockList, max int) int {
	GinkgoHelper()
	why := ""
	for n := max; n >= 2; n-- {
		if why = treeWhyNot(s, treeLoadOf(build(n)), true); why == "" {
			return n
		}
	}
	Skip(why)
	return 0
}
