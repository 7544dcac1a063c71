// SPDX-License-Identifier: AGPL-3.0-or-later
// Writes the Postman collection from the server's OpenAPI document, so the
// two describe the same routes. Usage: node generate.mjs openapi.json OUT
import { readFileSync, writeFileSync } from 'node:fs';

const [openapiFile, outFile] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(openapiFile, 'utf8'));

// Postman writes path parameters as :Name and variables as {{Name}}.
function requestOf(method, path, op) {
  const segments = path.split('/').filter(Boolean)
    .map(s => s.startsWith('{') ? `{{${s.slice(1, -1)}}}` : s);
  const header = [];
  if (op['x-auth'] === 'Hardware') {
    header.push({ key: 'HardwareHash', value: '{{HardwareHash}}' },
                { key: 'SerialNumber', value: '{{SerialNumber}}' },
                { key: 'ApplicationVersion', value: '{{ApplicationVersion}}' });
  } else if (op['x-auth'] !== 'none') {
    header.push({ key: 'MisKey', value: '{{MisKey}}' });
  }
  const request = {
    method: method.toUpperCase(),
    header,
    url: { raw: `{{baseUrl}}/${segments.join('/')}`, host: ['{{baseUrl}}'],
           path: segments },
    description: op.summary,
  };
  const types = Object.keys(op.requestBody?.content ?? {});
  if (types.includes('application/json')) {
    header.push({ key: 'Content-Type', value: 'application/json' });
    request.body = { mode: 'raw', raw: '{}' };
  } else if (types.includes('application/xml')) {
    header.push({ key: 'Content-Type', value: 'application/xml' });
    request.body = { mode: 'raw', raw: '<Job Version="2"></Job>' };
  } else if (types.includes('multipart/form-data')) {
    request.body = { mode: 'formdata', formdata: [
      { key: 'JsonString', value: '{}', type: 'text' }] };
  }
  return request;
}

const folders = new Map();
for (const [path, methods] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(methods)) {
    const tag = op.tags[0];
    if (!folders.has(tag)) folders.set(tag, []);
    folders.get(tag).push({
      name: op.summary.split(/[:;(]/)[0].trim(),
      'x-route': path,
      request: requestOf(method, path, op),
      event: [{ listen: 'test', script: { type: 'text/javascript', exec: [
        "pm.test('answers with JSON or the documented type', function () {",
        "  pm.expect(pm.response.code).to.be.below(500);",
        '});'] } }],
    });
  }
}

const collection = {
  info: {
    name: 'ripline-server',
    description: 'Generated from /api/v2/openapi.json by ' +
      'tools/server/postman/generate.mjs; do not edit by hand.',
    schema: 'https://schema.getpostman.com/json/collection/v2.1.0/' +
      'collection.json',
  },
  variable: ['baseUrl', 'MisKey', 'HardwareHash', 'SerialNumber',
             'ApplicationVersion', 'JobGUID', 'DocumentGUID', 'DeviceGUID',
             'ComputerGUID', 'ResourceGUID', 'QueueGUID', 'NestGUID',
             'NestGroupGUID', 'page', 'site']
    .map(key => ({ key, value: key === 'baseUrl' ?
      'http://127.0.0.1:8080' : '' })),
  item: [...folders].map(([name, item]) => ({ name, item })),
};
writeFileSync(outFile, JSON.stringify(collection, null, 2) + '\n');
