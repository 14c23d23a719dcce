// Package sample holds one instance of every mutation operator, for the tests of cmd/mutate.
package sample

type pair struct{ a, b int }

func less(a, b int) bool {
	return a < b
}

func same(a, b int) bool {
	return a == b
}

func sum(xs ...int) (n int) {
	for i := 0; i < len(xs); i++ {
		n += xs[i]
	}
	return n
}

func both(a, b bool) bool {
	return a && !b
}

func pick(ok bool) pair {
	if ok {
		return pair{}
	}
	return pair{a: 16}
}

func count(xs []int) int {
	var seen map[int]bool
	total := 0
	for _, x := range xs {
		if x > 9 {
			break
		}
		seen = nil
		total++
		note(x)
	}
	_ = seen
	return total
}

func note(int) {}

func first[T any](xs []T) T {
	return xs[0]
}

func (p *pair) swap() {
	p.a, p.b = p.b, p.a
}

func enabled() bool { return true }

func greet(s string) string {
	return s + "!"
}

func notes(xs []int) {
	for _, y := range xs {
		note(y)
	}
}

func (pair) area(int, string) int {
	return 2
}

func twice(_, k int) int {
	return k * 2
}
