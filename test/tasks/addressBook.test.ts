import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AddressBookError,
  addressBookPath,
  clearInProcessAddressBook,
  findStablecoin,
  loadAddressBook,
  readAddressBook,
  writeAddressBook,
  type AddressBook,
} from "../../src/node/addressBook";

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const B = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const C = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const D = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9";
const E = "0xdc64a140aa3e981100a9beca4e685f962f0cf6c9";

function book(network: string, chainId = 31337): AddressBook {
  return {
    version: 1,
    network,
    chainId,
    deployedAt: "2026-01-01T00:00:00.000Z",
    deployer: A,
    contracts: { participants: A, receivables: B, riskEngine: C, lens: E },
    stablecoins: { tUSD: { address: D.toLowerCase(), decimals: 6, mock: true } },
    pools: {},
    entities: {},
  };
}

describe("Address book", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tradefin-book-"));
    env = { TRADEFIN_DEPLOYMENTS_DIR: dir };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    clearInProcessAddressBook();
  });

  it("writes deployments/<network>.json under TRADEFIN_DEPLOYMENTS_DIR and reads it back with checksummed addresses", () => {
    const path = writeAddressBook(book("localhost"), env);
    expect(path).to.equal(join(dir, "localhost.json"));
    expect(addressBookPath("localhost", env)).to.equal(path);
    const read = loadAddressBook("localhost", 31337, env);
    expect(read.contracts.receivables).to.equal(B);
    expect(read.stablecoins.tUSD.address).to.equal(D);
    expect(JSON.parse(readFileSync(path as string, "utf8")).chainId).to.equal(31337);
  });

  it("tells the user which deploy command to run when the network has no deployment", () => {
    expect(() => loadAddressBook("sepolia", 11155111, env)).to.throw(
      AddressBookError,
      "no deployment for network sepolia: run `npx hardhat deploy --network sepolia`",
    );
  });

  it("refuses a book written for another chain id than the provider's", () => {
    writeAddressBook(book("localhost", 1337), env);
    expect(() => loadAddressBook("localhost", 31337, env)).to.throw(AddressBookError, "made on chain 1337");
  });

  it("names the field of a malformed book", () => {
    writeFileSync(join(dir, "broken.json"), JSON.stringify({ ...book("broken"), contracts: { participants: "0x12" } }));
    expect(() => readAddressBook("broken", env)).to.throw(AddressBookError, "contracts.participants is not an address");
  });

  it("keeps the in-process network's book in memory only, so a deploy works within the same process", () => {
    expect(writeAddressBook(book("hardhat"), env)).to.equal(undefined);
    expect(loadAddressBook("hardhat", 31337, env).contracts.participants).to.equal(A);
    expect(() => readFileSync(join(dir, "hardhat.json"))).to.throw();
    clearInProcessAddressBook();
    expect(() => loadAddressBook("hardhat", 31337, env)).to.throw(AddressBookError, "in the same process");
  });

  it("finds a stablecoin by symbol in any case or by address", () => {
    const b = book("localhost");
    b.stablecoins.tUSD.address = D;
    expect(findStablecoin(b, "tusd")?.[0]).to.equal("tUSD");
    expect(findStablecoin(b, D.toLowerCase())?.[0]).to.equal("tUSD");
    expect(findStablecoin(b, "EURC")).to.equal(undefined);
  });
});
