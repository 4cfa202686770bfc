// The provisional schema (docs/protocol/events.schema.json) against the frames a real
// conversation produced (src/test/fixtures/captured-frames.json): every frame validates, and
// every frame type the schema names was seen, so neither can drift from what the server sends.
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import schemaJson from '../../../docs/protocol/events.schema.json';
import frames from '../test/fixtures/captured-frames.json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const schema = schemaJson as any;

describe('protocol schema', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);

  it.each(frames.map((f, i) => [`${i} ${f.type}`, f] as const))('validates captured frame %s', (_, frame) => {
    const ok = validate(frame);
    expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('has a captured frame for every server frame type', () => {
    const types = (schema.oneOf as { $ref: string }[]).map((r) => schema.$defs[r.$ref.split('/').pop()!].properties.type.const as string);
    const seen = new Set(frames.map((f) => f.type));
    expect(types.filter((t) => !seen.has(t))).toEqual([]);
  });

  it('rejects a frame the server never sends', () => {
    expect(validate({ type: 'message:new', cursor: '1', data: { message: { id: 'x' } } })).toBe(false);
    expect(validate({ type: 'message:edited', cursor: '1', data: { id: 'x', content: 'y' } })).toBe(false);
  });
});
