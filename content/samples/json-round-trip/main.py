import json

# step: Parse a JSON string
text = '{"name": "versus", "version": 2, "price": 10.0, "id": 9007199254740993, "tags": ["python", "node"]}'
data = json.loads(text)

# step: Inspect the types
# integers stay int (arbitrary precision) and anything with a decimal point becomes float
print("version:", type(data["version"]).__name__, "| price:", type(data["price"]).__name__, data["price"])
print("id:", data["id"])

# step: Modify
data["version"] += 1
data["tags"].sort()
data["author"] = "Zoë"
data["license"] = None

# step: Serialize with sorted keys
# region serialize
# ensure_ascii=False keeps non-ASCII text as is instead of \u escapes
print(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))
# endregion
