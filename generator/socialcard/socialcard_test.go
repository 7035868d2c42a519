package socialcard

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"
)

func TestPreview(t *testing.T) {
	dir := os.Getenv("CARD_PREVIEW")
	if dir == "" {
		t.Skip("set CARD_PREVIEW=dir to write sample cards")
	}
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cards := map[string]Card{
		"short": {Title: "Reading a file", Site: "Node.js vs Python", Versus: true, Subjects: []Subject{{"Node.js", "#3c873a"}, {"Python", "#3572A5"}}},
		"long":  {Title: "How to read a large CSV file line by line without loading it all into memory, and what it costs in each runtime when the file is several gigabytes and has quoted fields", Site: "Node.js vs Python", Versus: true, Subjects: []Subject{{"Node.js", "#3c873a"}, {"Python", "#3572A5"}}},
		"five":  {Title: "Languages", Site: "Five ways", Subjects: []Subject{{"Go", "#00ADD8"}, {"Rust", "#dea584"}, {"Zig", "#ec915c"}, {"C", "#555555"}, {"C++", "#f34b7d"}, {"Odin", "#60AFFE"}}},
	}
	for name, c := range cards {
		data, err := r.Draw(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", name, len(data))
		os.WriteFile(dir+"/"+name+".png", data, 0o644)
	}
	_ = image.Point{}
}
