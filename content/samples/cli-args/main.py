import argparse

# step: Describe the options
parser = argparse.ArgumentParser(description="Serve some files.")
parser.add_argument("-p", "--port", type=int, default=8080)  # converted for you
parser.add_argument("-v", "--verbose", action="store_true")
parser.add_argument("--tag", action="append", default=[])
parser.add_argument("files", nargs="*")

# step: Parse an example command line
example = ["--port", "3000", "-v", "--tag", "web", "--tag", "api", "a.txt", "b.txt"]
args = parser.parse_args(example)

# step: Use the values
print(f"port: {args.port}, next port: {args.port + 1}")
if args.verbose:
    print("verbose mode on")
print(f"tags: {', '.join(args.tag)}")
print(f"files: {', '.join(args.files)}")

# step: Parse the real command line
# without a list, parse_args reads sys.argv after the script name (and adds --help)
real = parser.parse_args()
print(f"real command line: port {real.port}, {len(real.files)} file(s)")
