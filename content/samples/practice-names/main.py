import re


# step: PyPI: normalize, then compare
# Runs of "-", "_" and "." become one "-", and case is ignored.
def pypi_normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# step: npm: strip punctuation, then compare
# A new unscoped name is refused if it matches an existing one once ".", "-" and "_" are removed.
def npm_key(name: str) -> str:
    return re.sub(r"[._-]", "", name.lower())


# step: Try some lookalike names
pypi_existing = "python-dateutil"
for name in ["Python_Dateutil", "python.dateutil", "python--dateutil", "pythondateutil"]:
    same = pypi_normalize(name) == pypi_normalize(pypi_existing)
    relation = "the same project as" if same else "not the same name as"
    print(f"PyPI {name} -> {pypi_normalize(name)}: {relation} {pypi_existing}")

npm_existing = "react-native"
for name in ["reactnative", "react_native", "react.native", "react-natives"]:
    blocked = npm_key(name) == npm_key(npm_existing)
    relation = f"refused, same letters as {npm_existing}" if blocked else "passes this rule"
    print(f"npm  {name} -> {npm_key(name)}: {relation}")
