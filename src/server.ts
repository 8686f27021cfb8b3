/** Process entry of `npm start`. */
import { serve } from "./serve.js";

await serve();
