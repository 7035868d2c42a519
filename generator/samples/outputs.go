package samples

import "github.com/versus-ssg/versus/generator"

// Outputs gives pages the output of their samples (it satisfies
// shortcode.Outputs): the runs of a verification when there was one, else
// the last passing run in the cache, provided the sample, its files and the
// run argv are unchanged since. A changed sample shows its code with no
// claim about its output until it is verified again.
type Outputs struct {
	report *Report
	cache  *Cache
}

// NewOutputs returns the outputs of report (which may be nil) backed by
// cache (which may be nil too).
func NewOutputs(report *Report, cache *Cache) *Outputs {
	return &Outputs{report: report, cache: cache}
}

// Output returns the verified output of one subject's file of a sample, or
// nil when there is none that matches the sample as it is now.
func (o *Outputs) Output(s *Sample, f *File) *generator.Output {
	if o == nil {
		return nil
	}
	key := Key(s, f)
	if o.report != nil {
		if out, ok := o.report.outputs[key]; ok {
			c := *out
			s.decorate(f.Subject.ID, &c)
			return &c
		}
	}
	if e := o.cache.Get(key); e != nil {
		out := e.output()
		s.decorate(f.Subject.ID, out)
		return out
	}
	return nil
}
