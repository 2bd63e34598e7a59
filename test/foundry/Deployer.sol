// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ParticipantRegistry} from "../../contracts/ParticipantRegistry.sol";
import {ReceivableRegistry} from "../../contracts/ReceivableRegistry.sol";
import {ReceivableLens} from "../../contracts/periphery/ReceivableLens.sol";
import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {FinancingPool} from "../../contracts/FinancingPool.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {IRiskEngine} from "../../contracts/interfaces/IRiskEngine.sol";
import {IFinancingPool} from "../../contracts/interfaces/IFinancingPool.sol";
import {IReceivableRegistry} from "../../contracts/interfaces/IReceivableRegistry.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";
import {TradeFinAdapter} from "./TradeFinAdapter.sol";

/// @notice Everything the handlers act on, passed by value to them.
struct World {
    ParticipantRegistry participants;
    ReceivableRegistry receivables;
    ReceivableLens lens; // the registry's views (receivable, buyerRecord, totalMinted, …)
    RiskEngine riskEngine;
    MockStablecoin usd;
    FinancingPool poolA;
    FinancingPool poolB;
    address admin;
    address onboarder;
    address pauser;
    address ratingAgent;
    address managerA;
    address managerB;
    address regulator;
    address outsider;
    // suppliers: S1 has two wallets, S2 one
    address s1a;
    address s1b;
    address s2;
    // buyers: B1 has two wallets, B2 one
    address b1a;
    address b1b;
    address b2;
    bytes32 supplier1;
    bytes32 supplier2;
    bytes32 buyer1;
    bytes32 buyer2;
    bytes32 bankA;
    bytes32 bankB;
    bytes32 regulatorEntity;
}

/// @title TradeFinDeployer
/// @notice Builds the world the forge suites run in, as test/shared/fixtures.ts and the fast-check world
///         (test/invariants/world.ts) do: the core, a 6-decimal stablecoin, two banks' pools (bank B with
///         recourse), suppliers S1 (two wallets) and S2, buyers B1 (two wallets, rated) and B2 (unrated), a
///         regulator (registered by the admin) and an outsider, and the read-only ReceivableLens. Roles: admin, onboarder,
///         pauser and rating agent are separate accounts.
abstract contract TradeFinDeployer is Test {
    uint256 internal constant DAY = 1 days;
    uint32 internal constant GRACE_PERIOD = 30 days;
    uint256 internal constant UNIT = 1e6; // one USD in the stablecoin's base units
    uint256 internal constant START = 1_767_225_600; // 2026-01-01T00:00:00Z

    World internal w;

    function _deployWorld() internal {
        vm.warp(START);
        w.admin = makeAddr("admin");
        w.onboarder = makeAddr("onboarder");
        w.pauser = makeAddr("pauser");
        w.ratingAgent = makeAddr("ratingAgent");
        w.managerA = makeAddr("managerA");
        w.managerB = makeAddr("managerB");
        w.regulator = makeAddr("regulator");
        w.outsider = makeAddr("outsider");
        w.s1a = makeAddr("supplier1a");
        w.s1b = makeAddr("supplier1b");
        w.s2 = makeAddr("supplier2");
        w.b1a = makeAddr("buyer1a");
        w.b1b = makeAddr("buyer1b");
        w.b2 = makeAddr("buyer2");
        w.supplier1 = keccak256("LEI:SUPPLIER0000000000001");
        w.supplier2 = keccak256("LEI:SUPPLIER0000000000002");
        w.buyer1 = keccak256("LEI:BUYER000000000000000001");
        w.buyer2 = keccak256("LEI:BUYER000000000000000002");
        w.bankA = keccak256("LEI:BANK0000000000000000001");
        w.bankB = keccak256("LEI:BANK0000000000000000002");
        w.regulatorEntity = keccak256("LEI:REGULATOR00000000000001");

        // The core, as ignition/modules/TradeFin.ts deploys it.
        w.participants = new ParticipantRegistry(w.admin, 3 days);
        w.receivables = new ReceivableRegistry(w.participants, GRACE_PERIOD, IReceivableRegistry(address(0)));
        w.lens = new ReceivableLens(w.receivables);
        w.riskEngine = new RiskEngine(w.receivables);
        w.usd = new MockStablecoin("Test USD", "tUSD", 6);
        w.poolA = new FinancingPool(w.receivables, w.riskEngine, w.usd, w.managerA, standardPolicy(false));
        w.poolB = new FinancingPool(w.receivables, w.riskEngine, w.usd, w.managerB, standardPolicy(true));

        // What an admin does first (grantRolesAndAllow).
        vm.startPrank(w.admin);
        w.participants.grantRole(Roles.ONBOARDER_ROLE, w.onboarder);
        w.participants.grantRole(Roles.PAUSER_ROLE, w.pauser);
        w.participants.grantRole(Roles.RATING_AGENT_ROLE, w.ratingAgent);
        w.participants.setCurrencyAllowed(address(w.usd), true);
        vm.stopPrank();

        // Onboarding (registerActors + bindPool).
        uint40 expiry = uint40(START + 100 * 365 days); // KYC outlives any warp of the campaigns
        vm.startPrank(w.onboarder);
        w.participants.registerEntity(w.supplier1, Roles.SUPPLIER, expiry, w.s1a);
        TradeFinAdapter.addWallet(w.participants, w.supplier1, w.s1b, false);
        w.participants.registerEntity(w.supplier2, Roles.SUPPLIER, expiry, w.s2);
        w.participants.registerEntity(w.buyer1, Roles.BUYER, expiry, w.b1a);
        TradeFinAdapter.addWallet(w.participants, w.buyer1, w.b1b, false);
        w.participants.registerEntity(w.buyer2, Roles.BUYER, expiry, w.b2);
        w.participants.registerEntity(w.bankA, Roles.FINANCIER, expiry, w.managerA);
        TradeFinAdapter.addWallet(w.participants, w.bankA, address(w.poolA), true);
        w.participants.registerEntity(w.bankB, Roles.FINANCIER, expiry, w.managerB);
        TradeFinAdapter.addWallet(w.participants, w.bankB, address(w.poolB), true);
        vm.stopPrank();
        // Only the admin registers a regulator (issue 12, P1).
        vm.prank(w.admin);
        w.participants.registerEntity(w.regulatorEntity, Roles.REGULATOR, expiry, w.regulator);

        // B1 is rated (1.50 % annual PD) for a year, the longest validity a rating may have (366 days); B2 is
        // unrated. The handler's setRating renews it; an expired rating makes B1 unrated (5 %).
        vm.prank(w.ratingAgent);
        w.riskEngine.setRating(w.buyer1, 150, uint40(START + 365 days));

        // Liquidity: 1.5 million in each pool.
        _fundAndDeposit(w.managerA, w.poolA, 1_500_000 * UNIT);
        _fundAndDeposit(w.managerB, w.poolB, 1_500_000 * UNIT);

        // Suppliers let both pools take their receivables (finance pulls the token); everyone who may pay
        // approves the registry once.
        address[5] memory payers = [w.b1a, w.b1b, w.b2, w.s1a, w.s2];
        for (uint256 i = 0; i < payers.length; ++i) {
            vm.prank(payers[i]);
            w.usd.approve(address(w.receivables), type(uint256).max);
        }
        vm.prank(w.s1b);
        w.usd.approve(address(w.receivables), type(uint256).max);
        address[3] memory suppliers = [w.s1a, w.s1b, w.s2];
        for (uint256 i = 0; i < suppliers.length; ++i) {
            vm.startPrank(suppliers[i]);
            w.receivables.setApprovalForAll(address(w.poolA), true);
            w.receivables.setApprovalForAll(address(w.poolB), true);
            vm.stopPrank();
        }

        _opening();

        vm.label(address(w.participants), "ParticipantRegistry");
        vm.label(address(w.receivables), "ReceivableRegistry");
        vm.label(address(w.lens), "ReceivableLens");
        vm.label(address(w.riskEngine), "RiskEngine");
        vm.label(address(w.usd), "tUSD");
        vm.label(address(w.poolA), "poolA");
        vm.label(address(w.poolB), "poolB");
    }

    /// @notice src/pure/policy.ts `standardPolicy(6)` (but maxBuyerDefaults 20): advance 90/85/75/60/0 % for grades A..E, grade D at worst.
    function standardPolicy(bool recourse) internal pure returns (IRiskEngine.RiskPolicy memory p) {
        p.advanceRateBps = [uint16(9000), 8500, 7500, 6000, 0];
        p.gradeMaxPdBps = [uint16(100), 300, 800, 2000];
        p.baseRateBps = 800;
        p.lgdBps = 4500;
        p.unratedPdBps = 500;
        p.minGrade = 3;
        // standardPolicy has 0: one default would end all financing to that buyer for the rest of a run, and
        // the campaign declares defaults often. 20 keeps financing reachable after a few.
        p.maxBuyerDefaults = 20;
        p.maxTenorDays = 180;
        p.buyerExposureLimit = uint128(1_000_000 * UNIT);
        p.totalExposureLimit = uint128(10_000_000 * UNIT);
        p.autoApprovalLimit = uint128(100_000 * UNIT);
        p.recourse = recourse;
    }

    /// @dev Every sequence starts from the same opening, as the fast-check world does: six invoices, five of
    ///      them acknowledged, one financed in pool A, one (above the auto-approval limit) waiting for pool A's
    ///      manager, one Submitted.
    function _opening() internal {
        uint256 a = _submitAs(w.s1a, w.buyer1, 20_000, 60, "OPEN-1");
        uint256 b = _submitAs(w.s1a, w.buyer1, 150_000, 90, "OPEN-2");
        uint256 c = _submitAs(w.s1b, w.buyer1, 8_000, 45, "OPEN-3");
        uint256 d = _submitAs(w.s2, w.buyer2, 30_000, 75, "OPEN-4");
        uint256 e = _submitAs(w.s2, w.buyer1, 60_000, 120, "OPEN-5");
        _submitAs(w.s1a, w.buyer2, 12_000, 30, "OPEN-6");
        _acknowledgeAs(w.b1a, _ids(a, b, c, e));
        _acknowledgeAs(w.b2, _ids(d));
        vm.startPrank(w.s1a);
        TradeFinAdapter.finance(w.poolA, a, 0, block.timestamp + 1 days); // financed at once
        TradeFinAdapter.finance(w.poolA, b, 0, block.timestamp + 60 days); // a request for the manager
        vm.stopPrank();
    }

    function _submitAs(
        address seller,
        bytes32 buyer,
        uint256 amountUsd,
        uint256 tenorDays,
        string memory number
    ) internal returns (uint256 id) {
        IReceivableRegistry.InvoiceInput memory inv = IReceivableRegistry.InvoiceInput({
            buyerEntityId: buyer,
            currency: address(w.usd),
            amount: amountUsd * UNIT,
            issueDate: uint32(block.timestamp),
            dueDate: uint32(block.timestamp + tenorDays * DAY),
            invoiceNumberHash: keccak256(bytes(number)),
            docHash: keccak256(abi.encode(number))
        });
        vm.prank(seller);
        id = w.receivables.submit(inv);
    }

    /// @dev `buyerWallet` acknowledges each of `ids`.
    function _acknowledgeAs(address buyerWallet, uint256[] memory ids) internal {
        vm.startPrank(buyerWallet);
        for (uint256 i = 0; i < ids.length; ++i) w.receivables.acknowledge(ids[i]);
        vm.stopPrank();
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    function _ids(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](4);
        (ids[0], ids[1], ids[2], ids[3]) = (a, b, c, d);
    }

    function _fundAndDeposit(address manager, IFinancingPool pool, uint256 amount) internal {
        w.usd.mint(manager, amount);
        vm.startPrank(manager);
        w.usd.approve(address(pool), type(uint256).max);
        pool.deposit(amount);
        vm.stopPrank();
    }
}
