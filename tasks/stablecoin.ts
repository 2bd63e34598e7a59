/**
 * `stablecoin:mint`: mints the local test stablecoin (local chains only) so that buyers can pay and
 * banks can deposit in a demo or a test.
 */
import { formatAmount, parseAmount } from "../src/pure/money";
import { resolveAddress } from "../src/hardhat/context";
import { TaskInputError, reportTransaction, required, tradefinTask } from "./lib/cli";

tradefinTask<{ to?: string; amount?: string; currency?: string }>(
  "stablecoin:mint",
  "Mint the local test stablecoin to an account (local chains only)",
  (t) =>
    t
      .addOptionalParam("to", "Recipient (address or account index)")
      .addOptionalParam("amount", "Amount in token units")
      .addOptionalParam("currency", "Symbol of the test stablecoin (default: tUSD)"),
  async (args, s) => {
    const tf = await s.tradefin();
    const c = args.currency ? await tf.currency(args.currency) : await tf.defaultCurrency();
    if (!c.mock) throw new TaskInputError(`${c.symbol} is not the local test stablecoin; it cannot be minted`);
    const to = await resolveAddress(s.hre, required(args.to, "to"), "--to");
    const amount = parseAmount(required(args.amount, "amount"), c.decimals);
    const mock = await s.hre.ethers.getContractAt("MockStablecoin", c.address, tf.signer);
    return reportTransaction(
      s,
      mock.getFunction("mint")(to, amount),
      `Minted ${formatAmount(amount, c.decimals, { symbol: c.symbol })} to ${to}`,
      { to, currency: c.symbol, amountUnits: amount },
    );
  },
);
