// step: A resource that cleans up after itself
function open(name, { failOnClose = false } = {}) {
  console.log(`open ${name}`);
  return {
    [Symbol.dispose]() {
      console.log(`close ${name}`);
      if (failOnClose) throw new Error(`${name}: close failed`);
    },
  };
}

// step: The body fails; cleanup still runs
try {
  using db = open('db');
  throw new Error('query failed');
} catch (err) {
  console.log('caught:', err.message);
}

// step: The body and the cleanup both fail
try {
  using db = open('db', { failOnClose: true });
  throw new Error('query failed');
} catch (err) {
  // SuppressedError keeps both: the newer error and the one it replaced
  console.log(`caught: ${err.name}: ${err.error.message}; suppressed: ${err.suppressed.message}`);
}
