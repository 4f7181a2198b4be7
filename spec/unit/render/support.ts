// Shared by the render specs: run fn, expect it to throw a RenderError, return it for more assertions.
import { expect } from 'chai';
import { RenderError } from '../../../runner/errors.js';

export function renderError(fn: () => unknown): RenderError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(RenderError);
    return err as RenderError;
  }
  throw new Error('expected a RenderError');
}
