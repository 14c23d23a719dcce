package reference

import "github.com/ndis-chimney/conformance/target/ndis"

// invalidate marks each referenced object invalid. The object stays offloaded, and the
// reference keeps its resources, until the host terminates it
// (concepts/handling-invalidated-state-objects.md).
func (t *Target) invalidate(tree *ndis.MiniportOffloadBlockList) {
	for _, b := range ndis.Blocks(tree) {
		b.Status = t.invalidateBlock(b)
	}
}

func (t *Target) invalidateBlock(b *ndis.MiniportOffloadBlockList) ndis.Status {
	if b.Role() == ndis.RolePlaceholder {
		return ndis.StatusSuccess
	}
	ctx, r := b.Context(), t.objects
	switch b.Layer() {
	case ndis.LayerNeighbor:
		if n := r.neighbor(ctx); n != nil {
			n.invalid = true
			return ndis.StatusSuccess
		}
	case ndis.LayerPath:
		if p := r.path(ctx); p != nil {
			p.invalid = true
			return ndis.StatusSuccess
		}
	case ndis.LayerTCP:
		if c := r.connection(ctx); c != nil {
			c.invalid = true
			return ndis.StatusSuccess
		}
	}
	return ndis.StatusFailure
}
