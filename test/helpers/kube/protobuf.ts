import type { JsonObject } from './json';
import { ApiError, failure } from './status';

/**
 * Request bodies in the API server's protobuf encoding (`application/vnd.kubernetes.protobuf`),
 * which kubectl's typed clients send for some commands (`create secret`, `auth can-i`): the
 * `k8s\0` magic, a runtime.Unknown envelope, the object's message from k8s.io/api's
 * generated.proto. Decoded here for the kinds those commands send: Secret, ConfigMap,
 * SelfSubjectAccessReview. Responses are always JSON, which such clients accept too.
 */

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  number: number;
  /** Varint fields. */
  int?: number;
  /** Length-delimited fields. */
  bytes?: Buffer;
}

function unsupported(kind: string): ApiError {
  return new ApiError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - the stand-in decodes ${kind} ` +
        'from protobuf only for Secret, ConfigMap and SelfSubjectAccessReview; send JSON',
      {},
    ),
  );
}

function fields(buffer: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = buffer[pos++];
      if (byte === undefined) throw new ApiError(failure(400, 'BadRequest', 'truncated protobuf'));
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < buffer.length) {
    const tag = varint();
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) out.push({ number, int: varint() });
    else if (wire === 2) {
      const length = varint();
      out.push({ number, bytes: buffer.subarray(pos, pos + length) });
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new ApiError(failure(400, 'BadRequest', `unsupported protobuf wire type ${wire}`));
  }
  return out;
}

/** A string field; gogo-protobuf writes unset ones as empty, which JSON leaves out. */
const text = (field: Field | undefined) => field?.bytes?.toString('utf8') || undefined;
const one = (list: Field[], number: number) => list.find((f) => f.number === number);
const all = (list: Field[], number: number) => list.filter((f) => f.number === number);

/** map<string, string|bytes>: repeated entries {key = 1, value = 2}. */
function map(list: Field[], number: number, asBase64: boolean): Record<string, string> | undefined {
  const entries = all(list, number).map((entry) => fields(entry.bytes ?? Buffer.alloc(0)));
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map((entry) => {
      const value = one(entry, 2)?.bytes ?? Buffer.alloc(0);
      const key = one(entry, 1)?.bytes?.toString('utf8') ?? '';
      return [key, asBase64 ? value.toString('base64') : value.toString('utf8')];
    }),
  );
}

function defined(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function objectMeta(buffer: Buffer | undefined): JsonObject {
  const list = fields(buffer ?? Buffer.alloc(0));
  const finalizers = all(list, 14).map((f) => text(f) ?? '');
  return defined({
    name: text(one(list, 1)),
    generateName: text(one(list, 2)),
    namespace: text(one(list, 3)),
    uid: text(one(list, 5)),
    resourceVersion: text(one(list, 6)),
    labels: map(list, 11, false),
    annotations: map(list, 12, false),
    finalizers: finalizers.length > 0 ? finalizers : undefined,
  });
}

function bool(field: Field | undefined): boolean | undefined {
  return field?.int === undefined ? undefined : field.int !== 0;
}

/** The object in a protobuf request body, as the JSON the rest of the server handles. */
export function decodeProtobuf(body: Buffer): JsonObject {
  if (!body.subarray(0, 4).equals(MAGIC)) {
    throw new ApiError(
      failure(
        400,
        'BadRequest',
        'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
      ),
    );
  }
  const envelope = fields(body.subarray(4));
  const typeMeta = fields(one(envelope, 1)?.bytes ?? Buffer.alloc(0));
  const apiVersion = text(one(typeMeta, 1)) ?? '';
  const kind = text(one(typeMeta, 2)) ?? '';
  const raw = fields(one(envelope, 2)?.bytes ?? Buffer.alloc(0));
  const base = { apiVersion, kind, metadata: objectMeta(one(raw, 1)?.bytes) };
  switch (`${apiVersion}/${kind}`) {
    case 'v1/Secret':
      return defined({
        ...base,
        immutable: bool(one(raw, 5)),
        data: map(raw, 2, true),
        stringData: map(raw, 4, false),
        type: text(one(raw, 3)),
      });
    case 'v1/ConfigMap':
      return defined({
        ...base,
        immutable: bool(one(raw, 4)),
        data: map(raw, 2, false),
        binaryData: map(raw, 3, true),
      });
    case 'authorization.k8s.io/v1/SelfSubjectAccessReview': {
      const spec = fields(one(raw, 2)?.bytes ?? Buffer.alloc(0));
      const resource = one(spec, 1);
      const nonResource = one(spec, 2);
      const attributes = (buffer: Buffer | undefined, names: string[]) => {
        const list = fields(buffer ?? Buffer.alloc(0));
        return defined(Object.fromEntries(names.map((name, i) => [name, text(one(list, i + 1))])));
      };
      return {
        ...base,
        spec: defined({
          resourceAttributes:
            resource &&
            attributes(resource.bytes, [
              'namespace',
              'verb',
              'group',
              'version',
              'resource',
              'subresource',
              'name',
            ]),
          nonResourceAttributes: nonResource && attributes(nonResource.bytes, ['path', 'verb']),
        }),
      };
    }
    default:
      throw unsupported(`${apiVersion}/${kind}`);
  }
}
