import subprocess
import sys

# The child programs are Python itself (sys.executable), so the sample runs anywhere.
def python(code):
    return [sys.executable, "-c", code]

# step: Run a program and capture its output
out = subprocess.run(
    python("print('hello from the child')"),
    capture_output=True, text=True, check=True,
)
print("captured:", out.stdout.strip())

# step: Feed it standard input
echoed = subprocess.run(
    python("import sys; sys.stdout.write(sys.stdin.read())"),
    input="piped text\n", capture_output=True, text=True, check=True,
)
print("echoed:", echoed.stdout.strip())

# step: A child that fails
try:
    subprocess.run(
        python("import sys; print('disk full', file=sys.stderr); sys.exit(3)"),
        capture_output=True, text=True, check=True,  # check=True raises on a non-zero exit
    )
except subprocess.CalledProcessError as err:
    print(f"failed: exit {err.returncode}, stderr: {err.stderr.strip()}")

# step: A child that takes too long
try:
    subprocess.run(python("import time; time.sleep(5)"), timeout=0.2)
except subprocess.TimeoutExpired as err:
    print(f"timed out: {type(err).__name__}, child killed")  # run() kills it before raising
