package remote

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// corpusFile renders one input in the format of go test's fuzz corpus files.
func corpusFile(in []byte) string {
	return "go test fuzz v1\n[]byte(" + strconv.Quote(string(in)) + ")\n"
}

// checkCorpus requires testdata/fuzz/<target>/<name> to hold exactly each seed (writing them
// when CHIMNEY_WRITE_FUZZ_SEEDS is set), so the committed corpus is the one described here.
func checkCorpus(t *testing.T, target string, seeds map[string][]byte) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	if os.Getenv("CHIMNEY_WRITE_FUZZ_SEEDS") != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, in := range seeds {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(corpusFile(in)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, in := range seeds {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(data) != corpusFile(in) {
			t.Errorf("%s/%s is not the seed described here (err %v): regenerate with CHIMNEY_WRITE_FUZZ_SEEDS=1", target, name, err)
		}
	}
}

// The seed corpus of FuzzDecodeTree has the shapes it is named for: each seed describes a
// tree that is accepted, or refused for the reason its name says.
func TestFuzzSeedsOfDecodeTreeHaveTheirShapes(t *testing.T) {
	seeds := map[string][]byte{}
	for _, s := range treeSeeds {
		seeds[s.name] = s.program
		got := outcomeOf(s.program)
		switch {
		case s.outcome == "" && got != "":
			t.Errorf("%s: refused: %s", s.name, got)
		case s.outcome != "" && !strings.Contains(got, s.outcome):
			t.Errorf("%s: got %q, want a refusal containing %q", s.name, got, s.outcome)
		}
	}
	checkCorpus(t, "FuzzDecodeTree", seeds)
}

// eventSeeds is the seed corpus of FuzzDecodeEvent: encoded events, some no encoder makes.
func eventSeeds(t *testing.T) map[string][]byte {
	marshal := func(ev *pb.Event) []byte {
		b, err := proto.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	completion := func(program []byte) []byte {
		return marshal(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{
			Operation: pb.Operation_OPERATION_TERMINATE, Tree: treeFromProgram(program),
		}}})
	}
	seeds := map[string][]byte{}
	for _, s := range treeSeeds {
		if !strings.HasPrefix(s.name, "huge") { // those are seeds of the raw forms below
			seeds["completion-"+s.name] = completion(s.program)
		}
	}
	block := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), nil)
	tree := []byte(strings.Repeat(string(block), 200))
	sc := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), tree)
	seeds["empty-blocks-200"] = protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), sc)
	seeds["empty-blocks-200-twice-merged"] = protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), append(sc, sc...))
	seeds["empty-blocks-300"] = protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType),
		protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), []byte(strings.Repeat(string(block), 300))))
	seeds["truncated"] = seeds["empty-blocks-200"][:57]
	seeds["call-returned"] = marshal(&pb.Event{Kind: &pb.Event_CallReturned{CallReturned: &pb.CallReturned{CallId: 7}}})
	seeds["send-completion"] = marshal(&pb.Event{Kind: &pb.Event_SendCompletion{SendCompletion: &pb.SendCompletion{
		Lists: []*pb.Nbl{{Id: 1, NetBuffers: [][]byte{[]byte("data")}}, {Id: 1}},
	}}})
	packed := protowire.AppendBytes(protowire.AppendTag(nil, 8, protowire.BytesType), bytesOf(1000, 1)) // ndis_reserved, packed
	withReserved := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), append(protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 1), packed...))
	seeds["packed-reserved-1000"] = protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType),
		protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), withReserved))
	seeds["unknown-fields"] = append(protowire.AppendBytes(protowire.AppendTag(nil, 99, protowire.BytesType), bytesOf(64, 7)), seeds["call-returned"]...)
	return seeds
}

func TestFuzzSeedsOfDecodeEventAreTheCorpus(t *testing.T) {
	seeds := eventSeeds(t)
	if len(seeds) < 20 {
		t.Fatalf("only %d event seeds", len(seeds))
	}
	checkCorpus(t, "FuzzDecodeEvent", seeds)
}
