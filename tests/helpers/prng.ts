/** The seeded PRNG lives with the synthetic data generator, so tests and generated data share one implementation. */
export { mulberry32 } from '../../resources/synthetic/prng';
