// step: Several operations fail at once
async function download(mirror, problem) {
  await new Promise((resolve) => setTimeout(resolve, 10));
  throw new Error(`${mirror}: ${problem}`);
}

// step: Run both; both fail
try {
  // Promise.any wants one success
  await Promise.any([
    download('mirror-a', 'timed out'),
    download('mirror-b', 'connection refused'),
  ]);
} catch (err) {
  // every promise rejected: one AggregateError holds all the reasons
  console.log(`${err.name}: ${err.message}`);
  for (const reason of err.errors) console.log('  -', reason.message);
}

// step: Report every problem, not just the first
function validate(user) {
  const problems = [];
  if (!user.name) problems.push(new TypeError('name is required'));
  if (!(user.age >= 0)) problems.push(new RangeError(`age ${user.age} is negative`));
  if (problems.length) throw new AggregateError(problems, 'invalid user');
}

// step: Handle each kind of error
try {
  validate({ name: '', age: -3 });
} catch (err) {
  if (!(err instanceof AggregateError)) throw err;
  console.log(`${err.message}, ${err.errors.length} problems`);
  for (const problem of err.errors) {
    // no `except*`: test each error yourself
    if (problem instanceof TypeError) console.log('  missing field:', problem.message);
    else if (problem instanceof RangeError) console.log('  out of range:', problem.message);
  }
}
