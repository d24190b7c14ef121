/** A user's shell command as its own process group: started, streamed line by line, and stopped with everything it started. */
export {
  describeExit,
  type ShellExit,
  type ShellProcess,
  type StartShellOptions,
  signalGroup,
  startShell,
} from './process.js';
