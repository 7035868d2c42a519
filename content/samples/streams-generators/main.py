from itertools import islice
from pathlib import Path

# step: Create some input
log = ["INFO start", "WARN disk 80%", "ERROR db timeout", "INFO retry",
       "ERROR db refused", "ERROR cache miss", "INFO stop"]
Path("app.log").write_text("\n".join(log) + "\n", encoding="utf-8")


# step: Define the stages
def parse(lines):
    for line in lines:
        line = line.rstrip("\n")
        print(f"  read: {line}")
        level, _, message = line.partition(" ")
        yield level, message


# step: Run the pipeline
# region pipeline
with open("app.log", encoding="utf-8") as lines:  # a file iterates lazily, line by line
    # a generator expression filters; itertools.islice is the built-in "take"
    errors = (message for level, message in parse(lines) if level == "ERROR")
    for message in islice(errors, 2):
        print(f"error: {message}")
# endregion
print("stopped after 2 errors; the rest of the file was never parsed")
