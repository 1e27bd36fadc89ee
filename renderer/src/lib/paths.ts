/** Path text of the machine running the services ('/' or Windows '\'), for display and joining only. */
function sepOf(path: string): string {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

export function joinPath(dir: string, name: string): string {
  const sep = sepOf(dir);
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

export function dirnameOf(path: string): string {
  const sep = sepOf(path);
  const i = path.lastIndexOf(sep);
  return i <= 0 ? sep : path.slice(0, i);
}
