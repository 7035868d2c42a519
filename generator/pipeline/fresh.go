package pipeline

import (
	"sync"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
	"github.com/versus-ssg/versus/generator/samples"
	"github.com/versus-ssg/versus/generator/shortcode"
)

// freshness notes every sample output and benchmark result the pages of a
// build show, so that the build can warn, once per subject, of those that
// came from a runtime older than the site describes or are older than
// samples.maxAge. Pages render in parallel, hence the lock.
type freshness struct {
	mu sync.Mutex
	fr *samples.Freshness
}

func newFreshness(cfg *generator.Config, b *builder) *freshness {
	return &freshness{fr: samples.NewFreshness(cfg, b.opts.Now)}
}

func (f *freshness) bench(res *bench.Result) {
	if f == nil {
		return
	}
	f.mu.Lock()
	f.fr.Bench(res)
	f.mu.Unlock()
}

// warnings returns what the build should warn of.
func (f *freshness) warnings() generator.ErrorList {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fr.Warnings()
}

// freshOutputs passes a page the outputs of its samples and notes each.
type freshOutputs struct {
	inner shortcode.Outputs
	f     *freshness
}

// Output returns the inner output of the sample's file, noted.
func (o freshOutputs) Output(s *samples.Sample, file *samples.File) *generator.Output {
	out := o.inner.Output(s, file)
	if out != nil {
		o.f.mu.Lock()
		o.f.fr.Output(s.Name, file.Subject, out)
		o.f.mu.Unlock()
	}
	return out
}
