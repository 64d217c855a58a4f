import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../db/types.ts';
import { insertDomains } from '../test-support/fixtures.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { type Actor, systemActor } from './actor.ts';
import { addOperator } from './add-operator.ts';
import { authenticateBearer } from './authenticate.ts';
import { bootstrapOwner } from './bootstrap-owner.ts';
import { removeOperator } from './remove-operator.ts';

describeIntegration('operator verbs', () => {
  let db: Db;
  let owner: Actor;
  let admin: Actor;
  const now = new Date('2026-11-26T10:00:00Z');
  const ctx = (actor: Actor) => ({ db, actor, now });
  const auditCount = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]?.n;

  beforeAll(async () => {
    db = await createTestDb();
    await insertDomains(db, ['a.example', 'b.example']);
    const boot = await bootstrapOwner(db, { ownerEmail: 'owner@example.com' });
    owner = (await authenticateBearer(db, boot.createdToken as string, now)) as Actor;
    const added = await addOperator({
      ctx: ctx(owner),
      input: { email: 'admin@example.com', role: 'admin' },
    });
    admin = (await authenticateBearer(db, added.token, now)) as Actor;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates the owner once and prints a token only on the first start', async () => {
    expect(owner).toMatchObject({ kind: 'operator', role: 'owner', scope: { kind: 'all' } });
    const again = await bootstrapOwner(db, { ownerEmail: 'someone-else@example.com' });
    expect(again).toEqual({ createdOwner: false, ownerTokenInstalled: false });
  });

  it('installs OWNER_TOKEN as the owner login, replacing a previous one', async () => {
    const first = 'automation-token-one-0123456789abcdefghij';
    const second = 'automation-token-two-0123456789abcdefghij';
    expect(
      (await bootstrapOwner(db, { ownerEmail: 'x@example.com', ownerToken: first })).ownerTokenInstalled,
    ).toBe(true);
    expect((await authenticateBearer(db, first, now))?.kind).toBe('operator');
    expect(
      (await bootstrapOwner(db, { ownerEmail: 'x@example.com', ownerToken: first })).ownerTokenInstalled,
    ).toBe(false);
    await bootstrapOwner(db, { ownerEmail: 'x@example.com', ownerToken: second });
    expect(await authenticateBearer(db, first, now)).toBeNull();
    expect((await authenticateBearer(db, second, now))?.kind).toBe('operator');
  });

  it('lets only an owner add an owner', async () => {
    await expect(
      addOperator({ ctx: ctx(admin), input: { email: 'o2@example.com', role: 'owner' } }),
    ).rejects.toMatchObject({ code: 'forbidden', field: 'role' });
  });

  it('rolls the whole change back, audit included, when part of it fails', async () => {
    const before = await auditCount();
    await expect(
      addOperator({
        ctx: ctx(owner),
        input: { email: 'late@example.com', role: 'analyst', domains: ['a.example', 'zzz.example'] },
      }),
    ).rejects.toMatchObject({ code: 'not_found', field: 'domains' });
    const rows = await db.query("SELECT 1 FROM operators WHERE email = 'late@example.com'");
    expect(rows.rowCount).toBe(0);
    expect(await auditCount()).toBe(before);
  });

  it('never removes the last owner, and removing an operator ends their logins', async () => {
    await expect(
      removeOperator({ ctx: ctx(owner), input: { operator: 'owner@example.com' } }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const analyst = await addOperator({
      ctx: ctx(owner),
      input: { email: 'gone@example.com', role: 'analyst' },
    });
    expect(await authenticateBearer(db, analyst.token, now)).not.toBeNull();
    const before = await auditCount();
    await removeOperator({ ctx: ctx(admin), input: { operator: 'GONE@example.com' } });
    expect(await authenticateBearer(db, analyst.token, now)).toBeNull();
    expect(await auditCount()).toBe((before ?? 0) + 1);
  });

  it('keeps operator management away from domain-limited admins', async () => {
    const limited = await addOperator({
      ctx: ctx(owner),
      input: { email: 'limited@example.com', role: 'admin', domains: ['b.example'] },
    });
    const actor = (await authenticateBearer(db, limited.token, now)) as Actor;
    expect(actor.scope).toMatchObject({ kind: 'domains' });
    await expect(
      addOperator({ ctx: ctx(actor), input: { email: 'x2@example.com', role: 'analyst' } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      removeOperator({ ctx: ctx(actor), input: { operator: 'admin@example.com' } }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('accepts the system actor (CLI) for everything', async () => {
    const res = await addOperator({
      ctx: ctx(systemActor('cli:test')),
      input: { email: 'cli@example.com', role: 'owner' },
    });
    expect(res.operator.role).toBe('owner');
  });
});
