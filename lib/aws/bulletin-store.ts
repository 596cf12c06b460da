/**
 * BULLETIN items (one per scope, month and edition) and the per-scope, per-year 期号 counter.
 *
 * Every change of state is a conditional write on what the caller read: a render only lands on the
 * draft revision it started from, an edit only on a draft, 签发 only on the revision signed. The
 * counter (BULSEQ#{scope} / {YYYY}, attribute `last`) moves only inside the 签发 transaction, from
 * the value read to that value + 1, together with the draft becoming signed: a 期号 is used by
 * exactly one signed bulletin, numbers run without gaps, and a draft that is never signed takes none.
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Month } from "../domain/periods.ts";
import type {
  BulletinCorrection,
  BulletinEdits,
  BulletinRecord,
  BulletinSignature,
  BulletinStatus,
  BulletinStore,
  BulletinWrite,
  DraftRender,
} from "../ports.ts";
import { type Item, keys, num, optionalStr, queryAll, str, type TableRef } from "./table.ts";

/** Attempts of the 签发 transaction when only the counter moved under it (another bulletin signed). */
const SIGN_ATTEMPTS = 8;

function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === "ConditionalCheckFailedException";
}

export class DynamoBulletinStore implements BulletinStore {
  constructor(private readonly table: TableRef) {}

  async getBulletin(scope: string, period: Month, edition = 0): Promise<BulletinRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({
        TableName: this.table.name,
        Key: keys.bulletin(scope, period, edition),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toBulletinRecord(out.Item) : undefined;
  }

  async listEditions(scope: string, period: Month): Promise<BulletinRecord[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :month)",
      ExpressionAttributeValues: { ":pk": keys.bulletinsOfScope(scope), ":month": period },
      ConsistentRead: true,
    });
    return items.map(toBulletinRecord).sort((a, b) => (a.edition ?? 0) - (b.edition ?? 0));
  }

  async listBulletins(scope: string, limit = 240): Promise<BulletinRecord[]> {
    const out = await this.table.ddb.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.bulletinsOfScope(scope) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return ((out.Items ?? []) as Item[]).map(toBulletinRecord);
  }

  async putBulletin(record: BulletinRecord): Promise<void> {
    await this.table.ddb.send(new PutCommand({ TableName: this.table.name, Item: itemOf(record) }));
  }

  async createDraft(record: BulletinRecord): Promise<BulletinWrite> {
    try {
      await this.table.ddb.send(
        new PutCommand({
          TableName: this.table.name,
          Item: itemOf(record),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { conflict: false, record };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { conflict: true, current: await this.getBulletin(record.scope, record.period, record.edition) };
    }
  }

  async saveDraftRender(current: BulletinRecord, render: DraftRender): Promise<BulletinWrite> {
    const edition = current.edition ?? 0;
    return this.update(current.scope, current.period, edition, {
      UpdateExpression:
        "SET #key = :key, inputKey = :inputKey, pages = :pages, bytes = :bytes, renderMs = :renderMs, " +
        "revision = :next, renderedEditVersion = :edits, printedCases = :cases, updatedAt = :at",
      ConditionExpression: "#status = :draft AND revision = :revision AND editVersion = :edits",
      ExpressionAttributeNames: { "#key": "key", "#status": "status" },
      ExpressionAttributeValues: {
        ":key": render.key,
        ":inputKey": render.inputKey,
        ":pages": render.pages,
        ":bytes": render.bytes,
        ":renderMs": render.renderMs,
        ":next": current.revision + 1,
        ":revision": current.revision,
        ":edits": render.editVersion,
        ":cases": render.printedCases,
        ":at": render.at,
        ":draft": "draft",
      },
    });
  }

  async saveEdits(
    scope: string,
    period: Month,
    edition: number,
    edits: BulletinEdits,
    expectedEditVersion?: number,
  ): Promise<BulletinWrite> {
    const expected = expectedEditVersion === undefined ? "" : " AND editVersion = :expected";
    return this.update(scope, period, edition, {
      UpdateExpression: "SET edits = :edits, editVersion = editVersion + :one, updatedAt = :at",
      ConditionExpression: `#status = :draft${expected}`,
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":edits": edits,
        ":one": 1,
        ":at": edits.editedAt ?? new Date().toISOString(),
        ":draft": "draft",
        ...(expectedEditVersion === undefined ? {} : { ":expected": expectedEditVersion }),
      },
    });
  }

  async signBulletin(
    scope: string,
    period: Month,
    edition: number,
    signature: BulletinSignature,
  ): Promise<BulletinWrite> {
    const year = Number(period.slice(0, 4));
    for (let attempt = 0; attempt < SIGN_ATTEMPTS; attempt++) {
      const last = await this.lastIssueNumber(scope, year);
      const next = last + 1;
      try {
        await this.table.ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table.name,
                  Key: keys.issueSequence(scope, year),
                  UpdateExpression: "SET #last = :next, #type = :seq",
                  ConditionExpression:
                    last === 0 ? "attribute_not_exists(#last) OR #last = :zero" : "#last = :last",
                  ExpressionAttributeNames: { "#last": "last", "#type": "type" },
                  ExpressionAttributeValues: {
                    ":next": next,
                    ":seq": "BULSEQ",
                    ...(last === 0 ? { ":zero": 0 } : { ":last": last }),
                  },
                },
              },
              {
                Update: {
                  TableName: this.table.name,
                  Key: keys.bulletin(scope, period, edition),
                  UpdateExpression:
                    "SET #status = :signed, issueNumber = :next, signature = :signature, updatedAt = :at",
                  ConditionExpression:
                    "#status = :draft AND revision = :revision AND editVersion = renderedEditVersion",
                  ExpressionAttributeNames: { "#status": "status" },
                  ExpressionAttributeValues: {
                    ":signed": "signed",
                    ":draft": "draft",
                    ":next": next,
                    ":signature": signature,
                    ":revision": signature.revision,
                    ":at": signature.signedAt,
                  },
                },
              },
            ],
          }),
        );
        const record = await this.getBulletin(scope, period, edition);
        if (!record) throw new Error(`bulletin ${scope} ${period} vanished after signing`);
        return { conflict: false, record };
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const [counter, bulletin] = (err.CancellationReasons ?? []).map((r) => r.Code ?? "None");
        // The draft itself no longer qualifies (signed meanwhile, re-rendered, edited): refused.
        if (bulletin === "ConditionalCheckFailed") {
          return { conflict: true, current: await this.getBulletin(scope, period, edition) };
        }
        // Another 签发 of this scope-year took the number, or a concurrent transaction touched the
        // same items: read again and retry (the draft's own check decides a same-draft race).
        if (
          counter === "ConditionalCheckFailed" ||
          counter === "TransactionConflict" ||
          bulletin === "TransactionConflict"
        ) {
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 40 * (attempt + 1)));
          continue;
        }
        throw err;
      }
    }
    throw new Error(`签发 ${scope} ${period}: the 期号 counter kept moving (${SIGN_ATTEMPTS} attempts)`);
  }

  async markIssued(
    current: BulletinRecord,
    pdf: { key: string; pages: number; bytes: number; renderMs: number },
    at: string,
  ): Promise<BulletinWrite> {
    return this.update(current.scope, current.period, current.edition ?? 0, {
      UpdateExpression:
        "SET #status = :issued, #key = :key, pages = :pages, bytes = :bytes, renderMs = :renderMs, " +
        "issuedAt = :at, updatedAt = :at",
      ConditionExpression: "#status = :signed AND issueNumber = :number",
      ExpressionAttributeNames: { "#status": "status", "#key": "key" },
      ExpressionAttributeValues: {
        ":issued": "issued",
        ":signed": "signed",
        ":number": current.issueNumber,
        ":key": pdf.key,
        ":pages": pdf.pages,
        ":bytes": pdf.bytes,
        ":renderMs": pdf.renderMs,
        ":at": at,
      },
    });
  }

  async markNotified(current: BulletinRecord, at: string): Promise<BulletinWrite> {
    return this.update(current.scope, current.period, current.edition ?? 0, {
      UpdateExpression: "SET notifiedAt = :at",
      ConditionExpression: "#status = :issued AND attribute_not_exists(notifiedAt)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":issued": "issued", ":at": at },
    });
  }

  async lastIssueNumber(scope: string, year: number): Promise<number> {
    const out = await this.table.ddb.send(
      new GetCommand({
        TableName: this.table.name,
        Key: keys.issueSequence(scope, year),
        ConsistentRead: true,
      }),
    );
    return num(out.Item?.last);
  }

  /** One conditional update; the new record, or the record as it is when the condition failed. */
  private async update(
    scope: string,
    period: Month,
    edition: number,
    input: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<BulletinWrite> {
    try {
      const out = await this.table.ddb.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.bulletin(scope, period, edition),
          ...input,
          ConditionExpression: `attribute_exists(pk) AND (${input.ConditionExpression})`,
          ReturnValues: "ALL_NEW",
        }),
      );
      return { conflict: false, record: toBulletinRecord(out.Attributes as Item) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { conflict: true, current: await this.getBulletin(scope, period, edition) };
    }
  }
}

function itemOf(record: BulletinRecord): Item {
  return {
    ...keys.bulletin(record.scope, record.period, record.edition ?? 0),
    type: "BULLETIN",
    ...record,
  };
}

const STATUSES: readonly BulletinStatus[] = ["draft", "signed", "issued"];

function record(v: unknown): Item | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Item) : undefined;
}

function toEdits(v: unknown): BulletinEdits | undefined {
  const i = record(v);
  if (!i) return undefined;
  return {
    editorNote: optionalStr(i.editorNote),
    cases: Array.isArray(i.cases) ? i.cases.filter((c): c is string => typeof c === "string") : undefined,
    comment: optionalStr(i.comment),
    editedBy: optionalStr(i.editedBy),
    editedAt: optionalStr(i.editedAt),
  };
}

function toSignature(v: unknown): BulletinSignature | undefined {
  const i = record(v);
  if (!i) return undefined;
  return {
    signer: str(i.signer),
    signedBy: str(i.signedBy),
    signedAt: str(i.signedAt),
    issueDate: str(i.issueDate),
    revision: num(i.revision),
  };
}

function toCorrection(v: unknown): BulletinCorrection | undefined {
  const i = record(v);
  if (!i) return undefined;
  return {
    edition: num(i.edition),
    issueNumber: num(i.issueNumber),
    issueDate: str(i.issueDate),
    reason: str(i.reason),
  };
}

function toBulletinRecord(i: Item): BulletinRecord {
  const status = STATUSES.find((s) => s === i.status);
  return {
    scope: str(i.scope),
    period: str(i.period),
    issueNumber: num(i.issueNumber),
    revision: num(i.revision),
    key: str(i.key),
    pages: num(i.pages),
    bytes: num(i.bytes),
    renderMs: num(i.renderMs),
    createdAt: str(i.createdAt),
    updatedAt: str(i.updatedAt),
    status,
    edition: num(i.edition),
    edits: toEdits(i.edits),
    editVersion: typeof i.editVersion === "number" ? i.editVersion : undefined,
    renderedEditVersion: typeof i.renderedEditVersion === "number" ? i.renderedEditVersion : undefined,
    inputKey: optionalStr(i.inputKey),
    printedCases: Array.isArray(i.printedCases)
      ? i.printedCases.filter((c): c is string => typeof c === "string")
      : undefined,
    signature: toSignature(i.signature),
    correction: toCorrection(i.correction),
    issuedAt: optionalStr(i.issuedAt),
    notifiedAt: optionalStr(i.notifiedAt),
  };
}
