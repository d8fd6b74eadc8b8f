/** Where editors fetch the schema from (its `$id`), as written on a weft.yaml's first line. */
export const PIPELINE_SCHEMA_ID = 'https://weft.dev/schema/pipeline.schema.json';
