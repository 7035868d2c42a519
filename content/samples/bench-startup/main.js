// The smallest useful program: start, print, exit. versus times the
// whole process, so this measures the runtime's own start-up.
console.log("ready");
