// step: Parse a JSON string
const text = '{"name": "versus", "version": 2, "price": 10.0, "id": 9007199254740993, "tags": ["python", "node"]}';
const data = JSON.parse(text);

// step: Inspect the types
// every JSON number becomes a double: 10.0 is the integer 10, and a big id loses precision
console.log('version:', typeof data.version, '| price:', typeof data.price, data.price);
console.log('id:', data.id);

// step: Modify
data.version += 1;
data.tags.sort();
data.author = 'Zoë';
data.license = null;

// step: Serialize with sorted keys
// region serialize
// JSON.stringify has no sort option, so a replacer rebuilds each object with sorted keys
const sortKeys = (key, value) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value;
console.log(JSON.stringify(data, sortKeys, 2));
// endregion
