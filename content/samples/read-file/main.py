from pathlib import Path

# step: Write a file
path = Path("notes.txt")
path.write_text("the quick brown fox\njumps over\nthe lazy dog in a café\n", encoding="utf-8")

# step: Read it back
text = path.read_text(encoding="utf-8")
size = path.stat().st_size

# step: Count lines and words
# splitlines() and split() with no argument ignore the final newline and runs of spaces
lines = text.splitlines()
words = text.split()

# step: Print a summary
print(f"{path}: {size} bytes, {len(text)} characters")
print(f"lines: {len(lines)}")
print(f"words: {len(words)}")
print(f"longest line: {max(lines, key=len)}")

# step: Clean up
path.unlink()
