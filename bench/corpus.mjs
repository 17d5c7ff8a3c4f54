/**
 * A seeded synthetic corpus of backend TypeScript: NestJS services with @Cron/@OnEvent/@Process,
 * BullMQ workers, Express routes with setImmediate, TypeORM/Prisma/MikroORM/Knex code, and plenty
 * of ordinary non-background code (DTOs, controllers, repositories, utilities). The same seed
 * always writes the same files, so numbers from two machines compare.
 *
 * Usage: node bench/corpus.mjs [--seed N] [--files N] [--out DIR]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small, fast, seeded PRNG (the same sequence on every platform). */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTITIES = [
  'order', 'invoice', 'user', 'account', 'payment', 'shipment', 'report', 'export', 'import', 'subscription',
  'notification', 'document', 'webhook', 'tenant', 'product', 'cart', 'refund', 'coupon', 'portfolio', 'asset',
];
const VERBS = ['sync', 'refresh', 'recalculate', 'archive', 'notify', 'reconcile', 'index', 'cleanup', 'expire', 'publish'];
const FIELDS = ['name', 'email', 'total', 'currency', 'createdAt', 'updatedAt', 'ownerId', 'note', 'priority', 'attempts'];

const pascal = (s) => s[0].toUpperCase() + s.slice(1);

/** The generator state for one corpus: a PRNG and helpers over it. */
class Gen {
  constructor(seed) {
    this.random = seededRandom(seed);
  }
  int(min, max) {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick(list) {
    return list[Math.floor(this.random() * list.length)];
  }
  chance(p) {
    return this.random() < p;
  }
  times(min, max, fn) {
    return Array.from({ length: this.int(min, max) }, (_, i) => fn(i)).join('\n');
  }
}

/** Ordinary helper methods that every kind of file gets some of (plain, non-background code). */
function plainMethods(g, entity) {
  const E = pascal(entity);
  return g.times(2, 6, (i) => {
    const field = g.pick(FIELDS);
    switch (g.int(0, 4)) {
      case 0:
        return `
  private format${E}${i}(value: ${E}Row): string {
    const parts: string[] = [];
    for (const key of Object.keys(value)) {
      if (key === '${field}') continue;
      parts.push(\`\${key}=\${String((value as Record<string, unknown>)[key])}\`);
    }
    return parts.join(', ');
  }`;
      case 1:
        return `
  private validate${E}${i}(input: Partial<${E}Row>): string[] {
    const errors: string[] = [];
    if (!input.${field}) errors.push('${field} is required');
    if (typeof input.id !== 'string' || input.id.length < ${g.int(3, 12)}) errors.push('id is invalid');
    return errors;
  }`;
      case 2:
        return `
  private async retry${E}${i}<T>(fn: () => Promise<T>, attempts = ${g.int(2, 5)}): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      try {
        return await fn();
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, ${g.int(10, 500)} * (attempt + 1)));
      }
    }
    throw lastError;
  }`;
      case 3:
        return `
  private summarize${E}${i}(rows: ${E}Row[]): Record<string, number> {
    return rows.reduce<Record<string, number>>((acc, row) => {
      const key = String(row.${field} ?? 'unknown');
      acc[key] = (acc[key] ?? 0) + 1;
      return acc;
    }, {});
  }`;
      default:
        return `
  private chunk${E}${i}<T>(items: T[], size = ${g.int(10, 200)}): T[][] {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  }`;
    }
  });
}

function rowType(entity) {
  const E = pascal(entity);
  return `export interface ${E}Row {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
${FIELDS.map((f) => `  ${f}?: ${f.endsWith('At') ? 'Date' : f === 'total' || f === 'priority' || f === 'attempts' ? 'number' : 'string'};`).join('\n')}
}`;
}

/** NestJS + MikroORM service with @Cron and @OnEvent handlers (mostly right, sometimes wrong). */
function nestMikroService(g, entity) {
  const E = pascal(entity);
  const verb = g.pick(VERBS);
  const wrong = g.chance(0.15);
  return `import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { OnEvent } from '@nestjs/event-emitter';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ${E} } from './${entity}.entity';

${rowType(entity)}

@Injectable()
export class ${E}${pascal(verb)}Service {
  private readonly logger = new Logger(${E}${pascal(verb)}Service.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly em: EntityManager,
  ) {}

  @Cron(CronExpression.EVERY_${g.pick(['MINUTE', 'HOUR', '5_MINUTES', '10_SECONDS'])})
  async ${verb}Stale${E}s(): Promise<void> {
    const em = ${wrong ? 'this.em' : 'this.em.fork()'};
    const rows = await em.find(${E}, { status: 'running' }, { limit: ${g.int(10, 500)} });
    for (const row of rows) {
      row.status = 'pending';
    }
    await em.flush();
    this.logger.log(\`${verb} \${rows.length} ${entity}s\`);
  }

  @OnEvent('${entity}.created', { async: true })
  async handle${E}Created(payload: { id: string }): Promise<void> {
    const em = this.orm.em.fork();
    try {
      const row = await em.findOneOrFail(${E}, payload.id);
      row.status = 'completed';
      await em.flush();
    } catch (error) {
      this.logger.error(\`${entity} \${payload.id} failed\`, error as Error);
    }
  }

  async find${E}(id: string): Promise<${E} | null> {
    return this.em.findOne(${E}, { id });
  }

  async list${E}s(page = 0): Promise<${E}[]> {
    return this.em.find(${E}, {}, { limit: 50, offset: page * 50, orderBy: { createdAt: 'desc' } });
  }
${plainMethods(g, entity)}
}
`;
}

/** NestJS + Bull processor with @Process, using Prisma. */
function nestBullProcessor(g, entity) {
  const E = pascal(entity);
  const queue = `${entity}-${g.pick(VERBS)}`;
  return `import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { Job } from 'bull';
import { PrismaService } from '../prisma/prisma.service';

${rowType(entity)}

@Processor('${queue}')
export class ${E}Processor {
  private readonly logger = new Logger(${E}Processor.name);

  constructor(private readonly prisma: PrismaService) {}

  @Process({ name: '${queue}', concurrency: ${g.int(1, 8)} })
  async handle(job: Job<{ id: string }>): Promise<void> {
    await this.prisma.${entity}.update({ where: { id: job.data.id }, data: { status: 'running' } });
    try {
      const row = await this.prisma.${entity}.findUniqueOrThrow({ where: { id: job.data.id } });
      await this.prisma.$transaction(async (tx) => {
        await tx.${entity}.update({ where: { id: row.id }, data: { status: 'completed' } });
        await tx.auditLog.create({ data: { entity: '${entity}', entityId: row.id, action: 'processed' } });
      });
    } catch (error) {
      await this.prisma.${entity}.update({ where: { id: job.data.id }, data: { status: 'failed' } });
      this.logger.error(\`job \${job.id} failed\`, error);
      throw error;
    }
  }
${plainMethods(g, entity)}
}
`;
}

/** BullMQ Worker module with Prisma or Knex. */
function bullmqWorker(g, entity) {
  const E = pascal(entity);
  const useKnex = g.chance(0.5);
  const body = useKnex
    ? `await knex.transaction(async (trx) => {
        await trx('${entity}s').where({ id: job.data.id }).update({ status: 'completed', updated_at: trx.fn.now() });
        await trx('${entity}_events').insert({ ${entity}_id: job.data.id, kind: 'processed' });
      });`
    : `await prisma.$transaction([
        prisma.${entity}.update({ where: { id: job.data.id }, data: { status: 'completed' } }),
        prisma.auditLog.create({ data: { entity: '${entity}', entityId: job.data.id } }),
      ]);`;
  return `import { Worker, Queue, type Job } from 'bullmq';
${useKnex ? "import { knex } from '../db/knex';" : "import { prisma } from '../db/prisma';"}
import { logger } from '../logger';

export const ${entity}Queue = new Queue('${entity}', { connection: { host: 'localhost', port: 6379 } });

export const ${entity}Worker = new Worker(
  '${entity}',
  async (job: Job<{ id: string }>) => {
    logger.info({ id: job.data.id }, '${entity} job started');
    ${body}
    logger.info({ id: job.data.id }, '${entity} job finished');
  },
  { connection: { host: 'localhost', port: 6379 }, concurrency: ${g.int(1, 16)} },
);

${entity}Worker.on('failed', (job, error) => {
  logger.error({ id: job?.data.id, error }, '${entity} job failed');
});

export async function enqueue${E}(id: string, delayMs = ${g.int(0, 60000)}): Promise<void> {
  await ${entity}Queue.add('${entity}', { id }, { delay: delayMs, attempts: ${g.int(1, 5)} });
}
`;
}

/** Express routes with setImmediate; some capture the request transaction (true positives). */
function expressRoutes(g, entity) {
  const wrong = g.chance(0.2);
  const routes = [];
  routes.push(`router.post('/${entity}s/:id/${g.pick(VERBS)}', async (req: Request, res: Response) => {
  const { id } = req.params;
  res.status(202).json({ id });
  setImmediate(async () => {
    try {
      ${wrong ? `await req.trx('${entity}s').where({ id }).update({ status: 'completed' });` : `await knex.transaction(async (trx) => {
        await trx('${entity}s').where({ id }).update({ status: 'completed' });
      });`}
    } catch (error) {
      logger.error({ error, id }, '${entity} background update failed');
    }
  });
});`);
  for (let i = 0; i < g.int(2, 6); i += 1) {
    const field = g.pick(FIELDS);
    routes.push(`router.get('/${entity}s/${field}/${i}', async (req: Request, res: Response) => {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  const rows = await knex('${entity}s').select('id', '${field}').orderBy('${field}').limit(limit);
  res.json(rows.map((row) => ({ ...row, ${field}: row.${field} ?? null })));
});`);
  }
  return `import { Router, type Request, type Response } from 'express';
import { knex } from '../db/knex';
import { logger } from '../logger';

export const router = Router();

${routes.join('\n\n')}
`;
}

/** TypeORM service: request code, repositories, a fire-and-forget in some files. */
function typeormService(g, entity) {
  const E = pascal(entity);
  const bg = g.chance(0.3);
  return `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, In } from 'typeorm';
import { ${E}Entity } from './${entity}.entity';

${rowType(entity)}

@Injectable()
export class ${E}Service {
  constructor(
    @InjectRepository(${E}Entity) private readonly repository: Repository<${E}Entity>,
    private readonly dataSource: DataSource,
  ) {}

  async create(input: Partial<${E}Entity>): Promise<${E}Entity> {
    const entity = this.repository.create({ ...input, status: 'pending' });
    const saved = await this.repository.save(entity);
${bg ? `    void this.${g.pick(VERBS)}InBackground(saved.id);\n` : ''}    return saved;
  }

  async findMany(ids: string[]): Promise<${E}Entity[]> {
    return this.repository.find({ where: { id: In(ids) } });
  }

  async transfer(fromId: string, toId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const from = await manager.findOneByOrFail(${E}Entity, { id: fromId });
      const to = await manager.findOneByOrFail(${E}Entity, { id: toId });
      await manager.save([from, to]);
    });
  }
${bg ? `
  private async ${g.pick(VERBS)}InBackground(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(${E}Entity, { id }, { status: 'completed' });
    });
  }
` : ''}${plainMethods(g, entity)}
}
`;
}

/** MikroORM / TypeORM entity definitions: decorators, no logic. */
function entityFile(g, entity) {
  const E = pascal(entity);
  const mikro = g.chance(0.5);
  const cols = FIELDS.slice(0, g.int(3, FIELDS.length))
    .map((f) => (mikro ? `  @Property({ nullable: true })\n  ${f}?: string;` : `  @Column({ nullable: true })\n  ${f}?: string;`))
    .join('\n\n');
  return mikro
    ? `import { Entity, PrimaryKey, Property, Enum } from '@mikro-orm/core';

@Entity({ tableName: '${entity}s' })
export class ${E} {
  @PrimaryKey()
  id!: string;

  @Enum({ items: ['pending', 'running', 'completed', 'failed'] })
  status: 'pending' | 'running' | 'completed' | 'failed' = 'pending';

${cols}
}
`
    : `import { Entity, PrimaryGeneratedColumn, Column, CreateDateColumn } from 'typeorm';

@Entity('${entity}s')
export class ${E}Entity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ default: 'pending' })
  status!: string;

  @CreateDateColumn()
  createdAt!: Date;

${cols}
}
`;
}

/** DTOs with validation decorators (non-background). */
function dtoFile(g, entity) {
  const E = pascal(entity);
  const props = g.times(3, 10, (i) => {
    const f = `${g.pick(FIELDS)}${i}`;
    return g.chance(0.5)
      ? `  @IsString()\n  @IsOptional()\n  ${f}?: string;`
      : `  @IsInt()\n  @Min(${g.int(0, 5)})\n  ${f}!: number;`;
  });
  return `import { IsInt, IsOptional, IsString, Min } from 'class-validator';

export class Create${E}Dto {
${props}
}

export class Update${E}Dto {
${props.replace(/!:/g, '?:')}
}

export type ${E}Filter = Partial<Pick<Create${E}Dto, keyof Create${E}Dto>>;
`;
}

/** Plain utilities: pure functions, no database. */
function utilFile(g, entity) {
  const E = pascal(entity);
  const fns = g.times(4, 10, (i) => {
    switch (g.int(0, 3)) {
      case 0:
        return `export function parse${E}Key${i}(key: string): { tenant: string; id: string } | undefined {
  const match = /^([a-z0-9-]+):([a-f0-9]{${g.int(6, 32)}})$/.exec(key);
  return match ? { tenant: match[1]!, id: match[2]! } : undefined;
}`;
      case 1:
        return `export const ${entity}Weight${i} = (values: number[]): number =>
  values.length === 0 ? 0 : values.reduce((sum, v, index) => sum + v * (index + 1), 0) / values.length;`;
      case 2:
        return `export async function fetch${E}Remote${i}(url: string, signal?: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(\`HTTP \${response.status} for \${url}\`);
  return response.json();
}`;
      default:
        return `export class ${E}Cache${i}<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expires < Date.now()) return undefined;
    return entry.value;
  }
  set(key: string, value: T, ttlMs = ${g.int(1000, 60000)}): void {
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
  }
}`;
    }
  });
  return `// Utilities for ${entity}s.\n\n${fns}\n`;
}

/** A NestJS controller: request code only. */
function controllerFile(g, entity) {
  const E = pascal(entity);
  return `import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ${E}Service } from './${entity}.service';
import { Create${E}Dto } from './${entity}.dto';

@Controller('${entity}s')
export class ${E}Controller {
  constructor(private readonly service: ${E}Service) {}

  @Get(':id')
  async get(@Param('id') id: string) {
    const [row] = await this.service.findMany([id]);
    return row ?? null;
  }

  @Get()
  async list(@Query('ids') ids = '') {
    return this.service.findMany(ids.split(',').filter(Boolean));
  }

  @Post()
  async create(@Body() body: Create${E}Dto) {
    return this.service.create(body as never);
  }
}
`;
}

const KINDS = [
  [nestMikroService, 2],
  [nestBullProcessor, 2],
  [bullmqWorker, 2],
  [expressRoutes, 2],
  [typeormService, 3],
  [entityFile, 3],
  [dtoFile, 3],
  [utilFile, 3],
  [controllerFile, 2],
];

/** Writes the corpus (and a tsconfig.json for type-aware runs) into `out`; returns the file paths. */
export function generateCorpus({ seed = 1, files = 300, out }) {
  const g = new Gen(seed);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const weighted = KINDS.flatMap(([fn, weight]) => Array.from({ length: weight }, () => fn));
  const written = [];
  for (let i = 0; i < files; i += 1) {
    const kind = g.pick(weighted);
    const entity = g.pick(ENTITIES);
    const dir = path.join(out, `module${String(i % 20).padStart(2, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${entity}-${kind.name}-${i}.ts`);
    fs.writeFileSync(file, kind(g, entity));
    written.push(file);
  }
  fs.writeFileSync(
    path.join(out, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          experimentalDecorators: true,
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['**/*.ts'],
      },
      null,
      2,
    )}\n`,
  );
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const out = path.resolve(arg('out', path.join(path.dirname(fileURLToPath(import.meta.url)), '.corpus')));
  const written = generateCorpus({ seed: Number(arg('seed', '1')), files: Number(arg('files', '300')), out });
  console.log(`wrote ${written.length} files to ${out}`);
}
