import subprocess
import sys

# step: Ways a program can go wrong
cases = {
    "uncaught exception": "raise RuntimeError('boom')",
    "exception in a task nobody awaits": (
        "import asyncio\n"
        "async def job(): raise RuntimeError('boom')\n"
        "async def main():\n"
        "    asyncio.get_running_loop().create_task(job())\n"
        "    await asyncio.sleep(0.01)\n"
        "asyncio.run(main())"
    ),
    "exception in a thread": (
        "import threading\n"
        "def job(): raise RuntimeError('boom')\n"
        "t = threading.Thread(target=job); t.start(); t.join()"
    ),
    "sys.exit with a message": "import sys; sys.exit('config file not found')",
    "sys.exit(3)": "import sys; sys.exit(3)",
}

# step: Run each in a fresh process
for name, code in cases.items():
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # step: Report the exit status and the error line
    lines = [l for l in child.stderr.splitlines() if l and not l.startswith((" ", "Traceback", "future:"))]
    print(f"{name}: exit {child.returncode}, stderr: {' / '.join(lines) or '(nothing)'}")
