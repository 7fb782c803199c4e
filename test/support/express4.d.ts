// `express4` is Express 4 installed under an alias (npm:express@4) so that both majors are
// tested; @types/express (v5) describes the API both share closely enough for the tests.
declare module 'express4' {
  import express from 'express';
  export default express;
}
