// step: Define a custom error
class ConfigError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

// step: Wrap a low-level error
function loadConfig(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError('invalid config', { cause: err });
  }
}

// step: Catch it and clean up
for (const text of ['{"port": 8080}', '{oops']) {
  try {
    const config = loadConfig(text);
    console.log('loaded port', config.port); // no `else` clause: success code stays in try
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err; // catch has no type filter
    console.log(`${err.name}: ${err.message} (caused by ${err.cause.name})`);
  } finally {
    console.log('done with', text);
  }
}

// step: Errors in async code
async function fetchConfig() {
  throw new ConfigError('server unreachable'); // rejects the returned promise
}
try {
  await fetchConfig();
} catch (err) {
  console.log(`awaited: ${err}`);
}
// collect outcomes instead of throwing at the first failure
const [outcome] = await Promise.allSettled([fetchConfig()]);
console.log('collected:', outcome.status, '-', outcome.reason.message);
