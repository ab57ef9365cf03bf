import type { OperationModel, Shape, StructureShape } from '../../model/shapes.js';
import type { CliExample } from '../../operations/operation.js';
import type { ArgumentTable, CliArgument } from '../argv/cli-argument.js';
import { COMMAND_SUMMARIES, FLEET_COMMAND, SERVICE_COMMAND, TOP_LEVEL_COMMANDS } from '../argv/command-names.js';
import type { ServiceCommandTable } from '../argv/command-table.js';
import { GLOBAL_OPTIONS, type GlobalOption } from '../argv/global-options.js';
import { xformName } from '../argv/names.js';
import { PROG } from '../prog.js';

/**
 * Plain-text help pages in the layout of the AWS CLI's help (NAME, DESCRIPTION, SYNOPSIS,
 * OPTIONS, GLOBAL OPTIONS, OUTPUT), generated from the model and the argument tables.
 */

const WIDTH = 79;

function wrap(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && pad.length + line.length + 1 + word.length > WIDTH) {
        lines.push(pad + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line ? pad + line : '');
  }
  return lines.join('\n');
}

function section(title: string, body: string): string {
  return `${title}\n${body}\n\n`;
}

function globalOptionsSection(): string {
  return section('GLOBAL OPTIONS', GLOBAL_OPTIONS.map(globalOptionHelp).join('\n\n'));
}

function globalOptionHelp(option: GlobalOption): string {
  const type = option.takes === 'value' ? 'string' : 'boolean';
  let text = `       ${option.option} (${type})\n${wrap(option.help, 10)}`;
  if (option.choices) text += `\n\n${option.choices.map((choice) => `          o ${choice}`).join('\n\n')}`;
  return text;
}

/** A page's NAME section: `name - what it is`, wrapped like the rest of the page. */
function nameSection(name: string, summary: string): string {
  return section('NAME', wrap(`${name} - ${summary}`, 7));
}

/** The first sentence of a documentation text: the one line a command list shows. */
function firstSentence(documentation: string): string {
  const end = documentation.search(/\.(\s|$)/);
  return end < 0 ? documentation : documentation.slice(0, end + 1);
}

/** An AVAILABLE COMMANDS list: each command with its line. */
function commandList(entries: readonly (readonly [string, string])[]): string {
  return entries.map(([name, summary]) => `       o ${name}\n${wrap(summary, 9)}`).join('\n\n');
}

const FIRST_COMMAND =
  `${PROG} ${SERVICE_COMMAND} create-keys-and-certificate --set-as-active ` +
  '--certificate-pem-outfile cert.pem --private-key-outfile private.key';

/** `fleetca help`: the program, where to start, its global options and its commands. */
export function renderTopHelp(): string {
  return (
    nameSection(PROG, "a self-hosted device certificate authority that speaks AWS IoT's API") +
    section(
      'DESCRIPTION',
      wrap(
        `${PROG} is a self-hosted device certificate authority and certificate registry. ` +
          `"${PROG} ${SERVICE_COMMAND} <operation>" behaves like "aws ${SERVICE_COMMAND} <operation>" of the AWS CLI: ` +
          'same options, same output, same errors and exit codes. ' +
          `"${PROG} ca" manages the certificate authority itself, ` +
          `"${PROG} admin" the accounts and access keys that sign requests to the server, ` +
          `"${PROG} serve" runs that server (the AWS IoT REST API), ` +
          `"${PROG} ${FLEET_COMMAND} <operation>" fleetca's own operations in the same way.`,
        7,
      ),
    ) +
    section(
      'GETTING STARTED',
      `${wrap('Start with a first device certificate, in a directory of your own (the certificate authority is created on first use):', 7)}\n\n` +
        `          ${FIRST_COMMAND}\n\n` +
        wrap(
          `Then "${PROG} ${SERVICE_COMMAND} list-certificates"; "${PROG} ${SERVICE_COMMAND} help" lists every operation, ` +
            `"${PROG} serve help" how to serve them to the AWS CLI, the SDKs and devices.`,
          7,
        ),
    ) +
    section('SYNOPSIS', `          ${PROG} [options] <command> <subcommand> [parameters]`) +
    section('OPTIONS', GLOBAL_OPTIONS.map(globalOptionHelp).join('\n\n')) +
    section(
      'AVAILABLE COMMANDS',
      commandList(TOP_LEVEL_COMMANDS.map((name) => [name, COMMAND_SUMMARIES[name] ?? ''] as const)),
    )
  );
}

/**
 * `fleetca iot help`, `fleetca fleet help`: the service and its operations, each with the first sentence of its
 * documentation.
 */
export function renderServiceHelp(service: ServiceCommandTable): string {
  return (
    nameSection(service.name, COMMAND_SUMMARIES[service.name] ?? '') +
    section('DESCRIPTION', wrap(service.description, 7)) +
    section(
      'AVAILABLE COMMANDS',
      commandList([
        ...[...service.operations].map(([name, operation]) => [name, firstSentence(operation.documentation)] as const),
        ['help', 'this page'] as const,
      ]),
    )
  );
}

function synopsisEntry(argument: CliArgument, table: ArgumentTable): string | undefined {
  if (argument.name.startsWith('no-') && table.args.has(argument.name.slice(3))) return undefined;
  const negative = table.args.get(`no-${argument.name}`);
  if (argument.typeName === 'boolean' && negative) return `[--${argument.name} | --no-${argument.name}]`;
  const text = `--${argument.name} <value>`;
  return argument.required ? text : `[${text}]`;
}

function optionHelp(argument: CliArgument, table: ArgumentTable): string | undefined {
  if (argument.name.startsWith('no-') && table.args.has(argument.name.slice(3))) return undefined;
  const names =
    argument.typeName === 'boolean' && table.args.has(`no-${argument.name}`)
      ? `--${argument.name} | --no-${argument.name}`
      : `--${argument.name}`;
  let text = `       ${names} (${argument.typeName})${argument.required ? ' [required]' : ''}\n${wrap(argument.documentation, 10)}`;
  if (argument.constraints) {
    const items = Object.entries(argument.constraints).map(([key, value]) => `          o ${key}: ${value}`);
    text += `\n\n          Constraints:\n\n${items.join('\n\n')}`;
  }
  if (argument.helpChoices) {
    text += `\n\n          Possible values:\n\n${argument.helpChoices.map((choice) => `          o ${choice}`).join('\n\n')}`;
  }
  return text;
}

// Commands stay on one line so they can be copied.
function exampleText(example: CliExample): string {
  let text = `       ${example.title}\n\n${wrap(example.description, 7)}\n\n          ${example.command}`;
  if (example.output) text += `\n\n       Output:\n\n${example.output.replace(/^/gm, '          ')}`;
  return text;
}

/** EXAMPLES, as the AWS CLI's help places it: after the global options, before the output. */
function examplesSection(examples: readonly CliExample[]): string {
  if (examples.length === 0) return '';
  return section('EXAMPLES', examples.map(exampleText).join('\n\n'));
}

function outputMember(name: string, shape: Shape, documentation: string, indent: number): string {
  const pad = ' '.repeat(indent);
  // A map's key and value have no documentation of their own: just their type line.
  let text =
    documentation === ''
      ? `${pad}${name} -> (${shape.type})`
      : `${pad}${name} -> (${shape.type})\n${wrap(documentation, indent + 3)}`;
  if (shape.type === 'structure') {
    for (const [child, member] of Object.entries(shape.members)) {
      text += `\n\n${outputMember(child, member.shape, member.documentation, indent + 3)}`;
    }
  } else if (shape.type === 'map') {
    // awscli documents a map's key and value as two members named `key` and `value`.
    text += `\n\n${outputMember('key', shape.key, '', indent + 3)}`;
    text += `\n\n${outputMember('value', shape.value, '', indent + 3)}`;
  } else if (shape.type === 'list') {
    const element = shape.member;
    text += `\n\n${pad}   (${element.type})`;
    if (element.type === 'structure') {
      for (const [child, member] of Object.entries(element.members)) {
        text += `\n\n${outputMember(child, member.shape, member.documentation, indent + 6)}`;
      }
    }
  }
  return text;
}

function outputSection(output: StructureShape | undefined): string {
  if (output === undefined || Object.keys(output.members).length === 0) return section('OUTPUT', '       None');
  const members = Object.entries(output.members).map(([name, member]) =>
    outputMember(name, member.shape, member.documentation, 7),
  );
  return section('OUTPUT', members.join('\n\n'));
}

/** `fleetca iot <operation> help`: what the operation does, its options and its output. */
export function renderOperationHelp(
  operation: OperationModel,
  table: ArgumentTable,
  examples: readonly CliExample[],
): string {
  const name = xformName(operation.name);
  const visible = [...table.args.values()].filter((argument) => !argument.hidden);
  let description = operation.documentation;
  if (operation.paginator) {
    description +=
      `\n\n${name} is a paginated operation. Multiple API calls may be issued in order to retrieve the ` +
      'entire data set of results. You can disable pagination by providing the --no-paginate argument. ' +
      `When using --output text and the --query argument on a paginated response, the --query argument ` +
      `must extract data from the results of the following query expressions: ${operation.paginator.resultKey}`;
  }
  const synopsis = visible.map((argument) => synopsisEntry(argument, table)).filter((entry) => entry !== undefined);
  const options = visible.map((argument) => optionHelp(argument, table)).filter((entry) => entry !== undefined);
  return (
    nameSection(name, firstSentence(operation.documentation)) +
    section('DESCRIPTION', wrap(description, 7)) +
    section('SYNOPSIS', [`            ${name}`, ...synopsis.map((entry) => `          ${entry}`)].join('\n')) +
    section('OPTIONS', options.length > 0 ? options.join('\n\n') : '       None') +
    globalOptionsSection() +
    examplesSection(examples) +
    outputSection(operation.output)
  );
}
