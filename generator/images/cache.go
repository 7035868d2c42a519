package images

import "github.com/versus-ssg/versus/generator/dircache"

// DirCache is a Cache in a folder (.versus-cache/images/): one file per
// copy, named by its Key. Making copies never depends on it: a copy missing
// from the folder, or one that cannot be written there, is simply made.
type DirCache = dircache.Cache

// NewDirCache returns a cache in dir, which it creates when the first copy
// is put.
func NewDirCache(dir string) *DirCache { return dircache.New(dir, "", wholePicture) }

// wholePicture tells a whole PNG or JPEG file from one a full disk cut
// short, which is made again.
func wholePicture(data []byte) bool {
	png := len(data) > 8 && string(data[:8]) == "\x89PNG\r\n\x1a\n" && string(data[len(data)-8:len(data)-4]) == "IEND"
	jpeg := len(data) > 4 && data[0] == 0xff && data[1] == 0xd8 && data[len(data)-2] == 0xff && data[len(data)-1] == 0xd9
	return png || jpeg
}
