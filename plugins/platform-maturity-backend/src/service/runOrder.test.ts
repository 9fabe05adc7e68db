import { runOrder } from './runOrder';

describe('runOrder', () => {
  it('takes the never scored first, then the pushed since their last check, then the longest unchecked', () => {
    const keys = new Map([
      // Checked at 10:00, pushed at 11:00: pushed since.
      [
        'component:default/pushed-late',
        {
          checkedAt: '2026-12-07T10:00:00.000Z',
          pushedAt: '2026-12-07T11:00:00.000Z',
          onGitHost: true,
        },
      ],
      [
        'component:default/pushed-early',
        {
          checkedAt: '2026-12-07T10:30:00.000Z',
          pushedAt: '2026-12-07T10:45:00.000Z',
          onGitHost: true,
        },
      ],
      // Pushed before its last check: nothing new to read.
      [
        'component:default/checked-after-push',
        {
          checkedAt: '2026-12-07T09:00:00.000Z',
          pushedAt: '2026-12-07T08:00:00.000Z',
          onGitHost: true,
        },
      ],
      [
        'component:default/recent',
        { checkedAt: '2026-12-07T12:00:00.000Z', onGitHost: true },
      ],
      [
        'component:default/local',
        { checkedAt: '2026-12-07T07:00:00.000Z', onGitHost: false },
      ],
    ]);
    expect(
      runOrder(
        [
          'component:default/recent',
          'component:default/pushed-late',
          'component:default/new-b',
          'component:default/local',
          'component:default/checked-after-push',
          'component:default/pushed-early',
          'component:default/new-a',
          'component:default/new-a',
        ],
        keys,
      ),
    ).toEqual([
      {
        entityRef: 'component:default/new-a',
        tier: 'never-scored',
        paced: false,
      },
      {
        entityRef: 'component:default/new-b',
        tier: 'never-scored',
        paced: false,
      },
      {
        entityRef: 'component:default/pushed-early',
        tier: 'pushed',
        paced: false,
      },
      {
        entityRef: 'component:default/pushed-late',
        tier: 'pushed',
        paced: false,
      },
      { entityRef: 'component:default/local', tier: 'oldest', paced: false },
      {
        entityRef: 'component:default/checked-after-push',
        tier: 'oldest',
        paced: true,
      },
      { entityRef: 'component:default/recent', tier: 'oldest', paced: true },
    ]);
  });
});
