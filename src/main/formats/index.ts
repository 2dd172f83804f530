export {
  type ConfigFormat,
  FORMAT_NAMES,
  type FormatEntry,
  type FormatName,
  formatByName,
  formatForPath,
  isFormatName,
} from './format';
export { type KeySegment, formatKeyPath, parseKeyPath } from './key-path';
export { type DotenvEntry, type DotenvProblem, parseDotenv } from './dotenv';
