/**
 * require-background-error-handling on a helper that one call drops and another awaits (issue 13,
 * round 9): the dropped call is no-floating-background-task's report (SPEC: one problem, one
 * report), and a try/catch inside the helper would hide its failure from the callers that wait.
 */
import rule from '../../src/rules/require-background-error-handling.js';
import { createRuleTester } from '../rule-tester.js';

createRuleTester().run('require-background-error-handling (helpers other callers await)', rule, {
  valid: [
    // Valid because another caller awaits the helper: a try/catch inside would hide its failure from that caller; the dropped call is no-floating-background-task's (seen in public backends: laudspeaker customers.service.ts removeImportFile, etherpad-lite Pad.saveToDatabase)
    {
      name: 'Valid because another caller awaits the helper the dropped call starts (laudspeaker removeImportFile)',
      code: `
export class CustomersService {
  async importFile(id: string) {
    await this.parse(id);
    await this.removeImportFile(id);
  }
  cancelImport(id: string) {
    this.removeImportFile(id);
  }
  async removeImportFile(id: string) {
    await this.storage.deleteObject(id);
    await this.importsRepository.delete({ id });
  }
}`,
    },
  ],
  invalid: [
    // Invalid because no caller waits for the helper: its failure is unhandled wherever it runs
    {
      name: 'Invalid because every call drops the helper',
      code: `
export class CustomersService {
  cancelImport(id: string) {
    this.removeImportFile(id);
  }
  abortImport(id: string) {
    this.removeImportFile(id);
  }
  async removeImportFile(id: string) {
    await this.storage.deleteObject(id);
    await this.importsRepository.delete({ id });
  }
}`,
      errors: [{ messageId: 'missingTryCatch', line: 9 }],
    },
  ],
});
