import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The tests render whole cards with real data and load components lazily, as the app does; on a
// busy machine the first render of a test file can take seconds.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
