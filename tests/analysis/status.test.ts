/** Status update recognition (SPEC sections 2 and 5), one expression at a time. */
import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { statusUpdateOfAssignment, statusUpdateOfCall } from '../../src/analysis/status/status.js';
import { DEFAULT_VOCABULARY } from '../../src/model/vocabulary.js';
import { compileVocabulary } from '../../src/model/settings.js';

const vocabulary = compileVocabulary(DEFAULT_VOCABULARY);

/** The outermost call or assignment of a one-statement program (`await` unwrapped). */
function expression(code: string): TSESTree.Node {
  const program = parse(code, { range: true, loc: true });
  const statement = program.body[0] as TSESTree.ExpressionStatement;
  let node: TSESTree.Node = statement.expression;
  if (node.type === AST_NODE_TYPES.AwaitExpression) node = node.argument;
  return node;
}

function recognise(code: string): { phase: string; value: string; form: string } | undefined {
  const node = expression(code);
  const update =
    node.type === AST_NODE_TYPES.CallExpression
      ? statusUpdateOfCall(vocabulary, node)
      : node.type === AST_NODE_TYPES.AssignmentExpression
        ? statusUpdateOfAssignment(vocabulary, node)
        : undefined;
  return update && { phase: update.phase, value: update.value, form: update.form };
}

describe('statusUpdateOfCall / statusUpdateOfAssignment', () => {
  it.each([
    ["await service.updateStatus(id, 'in_progress')", 'in-progress', 'in_progress', 'method'],
    ["setStatus(id, 'RUNNING')", 'in-progress', 'RUNNING', 'method'],
    ["jobs.markStatus('job-1', 'Processing')", 'in-progress', 'Processing', 'method'],
    ['order.markAsProcessing()', 'in-progress', 'Processing', 'method'],
    ['order.markAsFailed(err)', 'failed', 'Failed', 'method'],
    ['order.markAsPaid()', 'other', 'Paid', 'method'],
    ["service.updateStatus(id, 'failed', String(e))", 'failed', 'failed', 'method'],
    ['service.updateStatus(id, JobStatus.Completed)', 'completed', 'JobStatus.Completed', 'method'],
    ["repo.update(id, { status: 'processing' })", 'in-progress', 'processing', 'orm'],
    ["repo.update({ status: 'pending' }, { status: 'processing' })", 'in-progress', 'processing', 'orm'],
    ["prisma.job.update({ where: { id }, data: { status: 'RUNNING' } })", 'in-progress', 'RUNNING', 'orm'],
    ["trx('jobs').where({ id }).update({ status: 'in-progress' })", 'in-progress', 'in-progress', 'orm'],
    ["db.update(jobs).set({ status: 'running' })", 'in-progress', 'running', 'orm'],
    ["Job.update({ status: 'done' }, { where: { id } })", 'completed', 'done', 'orm'],
    ["jobs.updateOne({ _id: id }, { $set: { state: 'active' } })", 'in-progress', 'active', 'orm'],
    ['repo.update(id, { status: Status.IN_PROGRESS })', 'in-progress', 'Status.IN_PROGRESS', 'orm'],
    ['repo.update(id, { status: ok ? Status.Completed : Status.Failed })', 'other', 'Status.Completed / Status.Failed', 'orm'],
    ['repo.update(id, { status: next })', 'other', 'a computed status', 'orm'],
    ["job.status = 'Started'", 'in-progress', 'Started', 'assignment'],
    ['this.job.state = JobState.Errored', 'failed', 'JobState.Errored', 'assignment'],
  ])('%s -> %s', (code, phase, value, form) => {
    expect(recognise(code)).toEqual({ phase, value, form });
  });

  it.each([
    ["prisma.job.findMany({ where: { status: 'running' } })"],
    ["prisma.job.deleteMany({ where: { status: 'processing' } })"],
    ["res.status(500).json({ status: 'error' })"],
    ["logger.info({ status: 'running' })"],
    ["queue.add('job', { status: 'processing' })"],
    ["job.status === 'running'"],
    ["job.name = 'running'"],
  ])('%s is not a status update', (code) => {
    expect(recognise(code)).toBeUndefined();
  });
});
