// Every matrix the differential suite runs, one describe (and one pair of fresh hosts) each.
import type { DiffMatrix } from '../matrix.js';
import { ACCOUNTS_MORE } from './accounts-more.js';
import { APT } from './apt.js';
import { APT_REPOSITORY } from './apt_repository.js';
import { BLOCKINFILE } from './blockinfile.js';
import { COMMAND } from './command.js';
import { COPY } from './copy.js';
import { FACTS } from './facts.js';
import { FILE } from './file.js';
import { FILES_MORE } from './files-more.js';
import { GET_URL } from './get_url.js';
import { GIT } from './git.js';
import { LINEINFILE } from './lineinfile.js';
import { READERS } from './readers.js';
import { REPLACE } from './replace.js';
import { SERVICES_KEYS } from './services-keys.js';
import { TEMPLATE } from './template.js';
import { UNARCHIVE } from './unarchive.js';
import { URI } from './uri.js';
import { USERS } from './users.js';

export const MATRICES: readonly DiffMatrix[] = [FILE, COPY, LINEINFILE, USERS, COMMAND, GET_URL, BLOCKINFILE, REPLACE, READERS, APT_REPOSITORY, UNARCHIVE, TEMPLATE, FACTS, FILES_MORE, GIT, ACCOUNTS_MORE, APT, URI, SERVICES_KEYS];
