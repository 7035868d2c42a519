package search

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

// savedIndex is an Index between two runs of versus: every page's encoded
// document and postings, and the terms they number.
type savedIndex struct {
	Docs  map[string]savedDoc
	Words []string
}

type savedDoc struct {
	URL, Title, Meta, Desc string
	Packed, Blob           []byte
	Length                 float64
}

// MarshalBinary saves what the index holds, so that a later run can
// resume it (UnmarshalBinary) and index only the pages it renders again.
func (x *Index) MarshalBinary() ([]byte, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	st := savedIndex{Docs: make(map[string]savedDoc, len(x.docs)), Words: x.words}
	for k, d := range x.docs {
		if d.terms != nil {
			return nil, fmt.Errorf("search: page %s is being indexed", k)
		}
		st.Docs[k] = savedDoc{URL: d.URL, Title: d.Title, Meta: d.Meta, Desc: d.Desc, Packed: d.packed, Blob: d.blob, Length: d.length}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&st); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary replaces what the index holds with what MarshalBinary
// saved.
func (x *Index) UnmarshalBinary(data []byte) error {
	var st savedIndex
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&st); err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.docs = make(map[string]*doc, len(st.Docs))
	for k, d := range st.Docs {
		x.docs[k] = &doc{URL: d.URL, Title: d.Title, Meta: d.Meta, Desc: d.Desc, packed: d.Packed, blob: d.Blob, length: d.Length}
	}
	x.words = st.Words
	x.dict = make(map[string]int32, len(st.Words))
	for i, w := range st.Words {
		x.dict[w] = int32(i)
	}
	return nil
}
