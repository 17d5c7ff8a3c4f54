// Preloaded into the CLI by the SIGINT test: says on stderr when the CLI installs its SIGINT
// handler, so the test signals after that moment instead of guessing it with a timer (a loaded
// CI machine took longer than any fixed wait to start Node).
const once = process.once.bind(process);
process.once = (event, listener) => {
  const result = once(event, listener);
  if (event === 'SIGINT') process.stderr.write('test: SIGINT handler installed\n');
  return result;
};
