// Hostile kamailio.cfg files of a given number of lines, in several shapes picked by a seed:
// preprocessor defines and conditionals, listen sockets and aliases, long routes, modparams.
// Each costs the checker seconds at 200,000 lines; none is wrong enough to be skipped.

type Shape = (i: number) => string[];

const SHAPES: readonly Shape[] = [
  (i) => [`#!define D${i} "v${i}"`, `#!ifdef D${i}`, `alias="h${i}.example.com"`, '#!endif'],
  (i) => [`listen=tls:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:5061`],
  (i) => [`route[R${i}] {`, `  if (method == "OPTIONS") { $var(x${i}) = "${i}"; }`, '}'],
  (i) => [`modparam("tls", "config", "tls${i % 7}.cfg")`, `#!substdef "/S${i}/${i}/"`],
];

export function hostileKamailioCfg(lines: number, seed: number): string {
  const out = ['#!KAMAILIO', 'enable_tls=yes', 'loadmodule "tls.so"', 'modparam("tls", "config", "tls.cfg")'];
  const shapes = SHAPES.filter((_, k) => ((seed >> k) & 1) === 1 || k === seed % SHAPES.length);
  for (let i = 0; out.length < lines; i++) out.push(...shapes[i % shapes.length]!(i));
  out.length = lines;
  return `${out.join('\n')}\n`;
}
