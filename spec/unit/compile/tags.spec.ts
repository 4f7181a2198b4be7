import { expect } from 'chai';
import { tagSelected } from '../../../runner/compile/tags.js';

describe('tagSelected', () => {
  const cases: Array<[string[], { tags?: string[]; skipTags?: string[] }, boolean]> = [
    [[], {}, true],
    [['x'], {}, true],
    [['never'], {}, false],
    [['never', 'debug'], { tags: ['debug'] }, true],
    [['never', 'debug'], { tags: ['all'] }, false],
    [['always'], { tags: ['other'] }, true],
    [['always'], { skipTags: ['always'] }, false],
    [['a'], { tags: ['b'] }, false],
    [['a'], { tags: ['a'], skipTags: ['a'] }, false],
    [[], { tags: ['untagged'] }, true],
    [['a'], { tags: ['tagged'] }, true],
    [['a'], { skipTags: ['tagged'] }, false],
  ];
  for (const [tags, sel, want] of cases) {
    it(`${JSON.stringify(tags)} with ${JSON.stringify(sel)} -> ${want}`, () => {
      expect(tagSelected(tags, sel)).to.equal(want);
    });
  }
});
