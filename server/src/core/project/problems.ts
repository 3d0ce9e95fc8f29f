// Problems of a project file, as findings on it: the CLI reports them with the rest (the editor
// validates the file against its JSON schema while it is edited).
import type { Finding } from '../types';
import { catalogEntry } from '../catalog';
import type { ProjectConfig } from './projectFile';
import { elideSecretLooking } from '../quote';

export function projectFindings(project: ProjectConfig): Finding[] {
  return project.problems
    .filter((p) => !p.fatal)
    .map((p) => ({ file: project.file, range: p.range, code: 'project.invalid', severity: catalogEntry('project.invalid').severity, message: elideSecretLooking(`${p.message}; this entry is ignored.`) }));
}
