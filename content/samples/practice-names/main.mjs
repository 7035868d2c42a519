// step: PyPI: normalize, then compare
// Runs of "-", "_" and "." become one "-", and case is ignored.
const pypiNormalize = (name) => name.replace(/[-_.]+/g, '-').toLowerCase();

// step: npm: strip punctuation, then compare
// A new unscoped name is refused if it matches an existing one once ".", "-" and "_" are removed.
const npmKey = (name) => name.toLowerCase().replace(/[._-]/g, '');

// step: Try some lookalike names
const pypiExisting = 'python-dateutil';
for (const name of ['Python_Dateutil', 'python.dateutil', 'python--dateutil', 'pythondateutil']) {
  const same = pypiNormalize(name) === pypiNormalize(pypiExisting);
  console.log(`PyPI ${name} -> ${pypiNormalize(name)}: ${same ? 'the same project as' : 'not the same name as'} ${pypiExisting}`);
}

const npmExisting = 'react-native';
for (const name of ['reactnative', 'react_native', 'react.native', 'react-natives']) {
  const blocked = npmKey(name) === npmKey(npmExisting);
  console.log(`npm  ${name} -> ${npmKey(name)}: ${blocked ? `refused, same letters as ${npmExisting}` : 'passes this rule'}`);
}
