/**
 * The demo's sample content and the changes it makes between the two runs. Every change alters the
 * size of the file, so it is seen as a change even within the second the file was last synced.
 */

/** The pair's folder on the Drive (inside "me"). */
export const REMOTE_FOLDER = 'lineworks-sync-demo';

/** Put on the Drive before the first run (by "another device"). */
export const REMOTE_SEED: Record<string, string> = {
  'ようこそ Welcome.txt':
    'LINE WORKS Drive へようこそ。\nThis file started on the Drive; lineworks-sync downloaded it.\n',
  '議事録 Minutes/2024-06 定例会議.md': '# 定例会議 2024-06\n- 出席: 佐藤, 鈴木\n- 次回: 7月\n',
  'todo.txt': '- buy milk\n- 牛乳を買う\n',
};

/** Put in the local folder before the first run. */
export const LOCAL_SEED: Record<string, string> = {
  'プロジェクト Project/計画 plan.md': '# 計画 / plan\n1. try lineworks-sync\n',
  'Café ☕ menu.txt': 'espresso 300円\ncafé au lait 450円\n',
};

/** Edited on this computer after the first run; the edit must reach the Drive. */
export const LOCAL_EDIT = {
  path: 'プロジェクト Project/計画 plan.md',
  content: '# 計画 / plan\n1. try lineworks-sync\n2. edit a file on one side, see it on the other\n',
};

/** Added on the Drive after the first run; it must arrive here. */
export const REMOTE_ADD = {
  path: '議事録 Minutes/2024-07 定例会議.md',
  content: '# 定例会議 2024-07\n- added on the Drive after the first sync\n',
};

/** Edited differently on both sides after the first run: a conflict. */
export const CONFLICT = {
  path: 'todo.txt',
  local: '- buy milk\n- 牛乳を買う\n- written on this computer\n',
  remote: '- buy milk\n- 牛乳を買う\n- written on the Drive, from another device\n',
};

/** `todo (conflicted copy <host> <YYYY-MM-DD HHmmss>[ n]).txt` in the same folder. */
export function isConflictCopyOf(path: string, candidate: string): boolean {
  const slash = path.lastIndexOf('/');
  const dir = slash >= 0 ? path.slice(0, slash + 1) : '';
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  if (!candidate.startsWith(`${dir}${stem} (conflicted copy `) || !candidate.endsWith(`)${ext}`))
    return false;
  const tag = candidate.slice(`${dir}${stem} (`.length, candidate.length - `)${ext}`.length);
  return /^conflicted copy .+ \d{4}-\d{2}-\d{2} \d{6}( \d+)?$/.test(tag);
}
