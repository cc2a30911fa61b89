import { describe, expect, it } from 'vitest';
import { LoginState, portOfState } from '../../src/core/auth/login-state.js';

describe('LoginState', () => {
  it('is <port>.<256 random bits>, different every time', () => {
    const a = new LoginState(54321);
    const b = new LoginState(54321);
    expect(a.value).toMatch(/^54321\.[A-Za-z0-9_-]{43}$/);
    expect(a.value).not.toBe(b.value);
  });

  it('accepts its own value once, then calls it replayed', () => {
    const state = new LoginState(1);
    expect(state.accept(state.value)).toBe('ok');
    expect(state.accept(state.value)).toBe('replayed');
  });

  it.each([
    [null, 'missing'],
    [undefined, 'missing'],
    ['', 'missing'],
    ['1.wrong', 'mismatch'],
  ] as const)('%s → %s, and the real state stays usable', (candidate, verdict) => {
    const state = new LoginState(1);
    expect(state.accept(candidate)).toBe(verdict);
    expect(state.accept(`${state.value}x`)).toBe('mismatch');
    expect(state.accept(state.value.slice(0, -1))).toBe('mismatch');
    expect(state.accept(state.value)).toBe('ok');
  });
});

describe('portOfState (the relay page reads the listener port from the state)', () => {
  it.each([
    ['54321.abc', 54321],
    ['1.abc', 1],
    ['65535.x', 65535],
    ['0.abc', undefined],
    ['65536.abc', undefined],
    ['abc', undefined],
    ['123456.abc', undefined],
    ['.abc', undefined],
  ])('%s → %s', (state, port) => {
    expect(portOfState(state)).toBe(port);
  });
});
