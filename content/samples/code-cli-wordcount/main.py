#!/usr/bin/env python3
"""wordcount: print the most frequent words read from standard input."""
import argparse
import re
import sys
from collections import Counter

# step: Parse the arguments
# region parse
parser = argparse.ArgumentParser(usage="%(prog)s [--top N] [--ignore-case] < text")
parser.add_argument("--top", type=int, default=5, metavar="N")  # converted and checked
parser.add_argument("-i", "--ignore-case", action="store_true")
args = parser.parse_args()  # on a bad argument: usage on stderr, exit status 2
if args.top < 1:
    parser.error(f"--top: expected a positive integer, got '{args.top}'")
# endregion parse

# step: Read standard input
text = sys.stdin.read()

# step: Count and print
words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)  # letters, and "doesn't"
if args.ignore_case:
    words = [w.lower() for w in words]
counts = Counter(words)
for word, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: args.top]:
    print(f"{n:3} {word}")
print(f"{len(counts)} distinct words", file=sys.stderr)  # diagnostics go to stderr
