package pipeline

import (
	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
)

// evidence loads a benchmark's recorded result for a criterion that names
// it, through the build's sample cache, so a sample is read once however
// many pages cite it.
func (b *builder) evidence(name string, pos generator.Pos) (*bench.Result, []bench.Label, bool, error) {
	s, err := b.sc.Sample(name, pos)
	if err != nil {
		return nil, nil, false, err
	}
	res, labels, stale, err := s.Recorded(b.cfg, pos)
	if err == nil {
		b.fresh.bench(res)
	}
	if err == nil && stale {
		b.warn(pos, "benchmark %q is stale: its files changed since it was measured on %s; run versus bench %s", name, res.Measured.Format("2006-01-02"), name)
	}
	return res, labels, stale, err
}
