/**
 * JSON Schemas (draft-07, as Ajv compiles by default) of the OIP v2 REST bodies, written from the
 * protocol's prose (inference_rest.md). Responses are closed (no extra keys) because this server
 * writes them and a stray key is a bug; the request stays open, as clients may send extension
 * fields. Each schema carries its own definitions, so any one compiles alone.
 */

const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
];

// anyOf rather than a union `type`, so the schemas compile under Ajv's strict defaults.
const scalar = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };

/** The spec's `$parameter = $string : $string | $number | $boolean`. */
const parameters = { type: 'object', additionalProperties: scalar };

/** Row-major elements, flat or nested to any depth. */
const tensorData = {
  type: 'array',
  items: { anyOf: [...scalar.anyOf, { $ref: '#/$defs/tensorData' }] },
};

const tensorShape = { type: 'array', items: { type: 'integer', minimum: 0 } };

const tensor = (closed: boolean) => ({
  type: 'object',
  required: ['name', 'shape', 'datatype', 'data'],
  properties: {
    name: { type: 'string' },
    shape: tensorShape,
    datatype: { enum: DATATYPES },
    parameters,
    data: { $ref: '#/$defs/tensorData' },
  },
  ...(closed && { additionalProperties: false }),
});

export const inferenceRequestSchema = {
  $defs: { tensorData },
  type: 'object',
  required: ['inputs'],
  properties: {
    id: { type: 'string' },
    parameters,
    inputs: { type: 'array', items: tensor(false) },
    outputs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, parameters },
      },
    },
  },
};

export const inferenceResponseSchema = {
  $defs: { tensorData },
  type: 'object',
  required: ['model_name', 'outputs'],
  properties: {
    model_name: { type: 'string' },
    model_version: { type: 'string' },
    id: { type: 'string' },
    parameters,
    outputs: { type: 'array', items: tensor(true) },
  },
  additionalProperties: false,
};

export const metadataServerResponseSchema = {
  type: 'object',
  required: ['name', 'version', 'extensions'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    extensions: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

/** Models may declare tensors the protocol has no datatype for (weft reads them as UNKNOWN). */
const metadataTensor = {
  type: 'object',
  required: ['name', 'datatype', 'shape'],
  properties: {
    name: { type: 'string' },
    datatype: { type: 'string' },
    // -1 marks a dimension of any size.
    shape: { type: 'array', items: { type: 'integer', minimum: -1 } },
  },
  additionalProperties: false,
};

export const metadataModelResponseSchema = {
  type: 'object',
  required: ['name', 'platform', 'inputs', 'outputs'],
  properties: {
    name: { type: 'string' },
    versions: { type: 'array', items: { type: 'string' } },
    platform: { type: 'string' },
    inputs: { type: 'array', items: metadataTensor },
    outputs: { type: 'array', items: metadataTensor },
    properties: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
};

/** Every endpoint's failure body: `{"error": "<message>"}`. */
export const errorResponseSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' } },
  additionalProperties: false,
};

export const OIP_SCHEMAS = {
  inference_request: inferenceRequestSchema,
  inference_response: inferenceResponseSchema,
  metadata_server_response: metadataServerResponseSchema,
  metadata_model_response: metadataModelResponseSchema,
  error_response: errorResponseSchema,
} as const;

export type OipSchemaName = keyof typeof OIP_SCHEMAS;
