/** Drops and renames: they break code that is still running and, for drops, lose data. */
import { droppedNames, nodeAs } from '../../ast.js';
import type { Rule } from '../context.js';

export const banDropTable: Rule = {
  name: 'ban-drop-table',
  kinds: ['DropStmt'],
  severity: 'error',
  check(stmt) {
    const drop = nodeAs(stmt.node, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_TABLE') return undefined;
    return {
      message: `dropping ${droppedNames(drop.objects).join(', ')} loses its data and breaks code that still uses it`,
      hint: 'remove every use in the app and deploy first; opsbook checks references and backs the table up before this file',
    };
  },
};

export const banDropDatabase: Rule = {
  name: 'ban-drop-database',
  kinds: ['DropdbStmt'],
  severity: 'error',
  check(stmt) {
    if (stmt.kind !== 'DropdbStmt') return undefined;
    return {
      message: 'a migration drops a whole database',
      hint: 'drop databases by hand, never from a migration',
    };
  },
};

export const renamingTable: Rule = {
  name: 'renaming-table',
  kinds: ['RenameStmt'],
  severity: 'error',
  check(stmt) {
    const rename = nodeAs(stmt.node, 'RenameStmt');
    if (rename?.renameType !== 'OBJECT_TABLE') return undefined;
    return {
      message: `renaming table "${rename.relation?.relname}" to "${rename.newname}" breaks running code that uses the old name`,
      hint: 'create the new table (or a view under the new name), move the code over, then drop the old name',
    };
  },
};

export const destructiveRules: Rule[] = [banDropTable, banDropDatabase, renamingTable];
