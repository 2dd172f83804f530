import { generateSecret } from '../vault/generate';
import type { Implementation } from './handle';

export function generatorMethods(): Pick<Implementation, 'generator.generate'> {
  return {
    'generator.generate': async ({ spec, count }) => {
      const generated = await Promise.all(
        Array.from({ length: count }, () => generateSecret(spec)),
      );
      return { values: generated.map((g) => g.value), bits: Math.round(generated[0]?.bits ?? 0) };
    },
  };
}
